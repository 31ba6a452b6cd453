using Platform.Contracts;
using Platform.Inference.Pipeline;
using Platform.OnlineStore;

namespace Platform.Inference.Tests;

/// <summary>
/// Spikes and drops judged against the previous forecast: a SKU selling 40 lines (80 units) an hour, forecast at
/// 80 units with an 80 % interval of 60–100, whose hours then go as each test says.
/// </summary>
public sealed class DemandAnomalyJudgeTests
{
    private static readonly DateTimeOffset E0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly DemandAnomalyJudge _judge = new(new AnomalyOptions());
    private readonly SkuDemandState _state = new();
    private readonly Dictionary<DateTimeOffset, (int Lines, int Units, int Promo)> _hours = [];
    private readonly List<AnomalyAlert> _alerts = [];

    /// <summary>One SKU is too few lines for a shop level: it stays 1 here (DemandLevelTests covers the level).</summary>
    private readonly DemandLevel.Pending _shop = new DemandLevel(new AnomalyOptions()).Begin();

    [Fact]
    public void Judge_HoursWithinTheForecast_RaiseNothing()
    {
        RunHours(Normal, Normal, Normal);

        Assert.Empty(_alerts);
    }

    [Fact]
    public void Judge_Spike_RaisesOneAlertPerIncident_AndANewOneAfterTheIncidentEnded()
    {
        RunHours(Normal, Spike, Spike, Normal, Normal, Normal, Spike);

        Assert.Equal(2, _alerts.Count);
        var alert = _alerts[0];
        Assert.Equal(AnomalyKinds.DemandSpike, alert.Kind);
        Assert.Equal("SKU1", alert.Sku);
        Assert.Equal(E0.AddHours(1), alert.WindowStart);
        Assert.Equal(E0.AddHours(2), alert.WindowEnd);
        Assert.Equal(240, alert.Observed);
        Assert.Equal(80, alert.ExpectedP50, 1e-6);
        Assert.Equal(100, alert.ExpectedP90, 1e-6);
        Assert.InRange(alert.Score, 0.8, 1);
        Assert.Equal("critical", alert.Severity);
        Assert.Equal("v0007", alert.ModelVersion);
        Assert.Equal("trace-1", alert.TraceId);
        Assert.Equal("order_lines_vs_expected", alert.Contributors[0].Name);
        Assert.Equal(120, alert.Contributors[0].Value);
        Assert.Equal(40, alert.Contributors[0].Baseline, 1e-6);
        Assert.Equal(E0.AddHours(6), _alerts[1].WindowStart);
    }

    [Fact]
    public void Judge_DemandStopsForHours_RaisesOneDropWithinTwoHours()
    {
        RunHours(Normal, Zero, Zero, Zero, Zero);

        var drop = Assert.Single(_alerts);
        Assert.Equal(AnomalyKinds.DemandDrop, drop.Kind);
        Assert.InRange(drop.WindowStart, E0.AddHours(1), E0.AddHours(2));
        Assert.Equal(0, drop.Observed);
    }

    [Fact]
    public void Judge_OneBulkOrderLine_IsNoDemandSpike()
    {
        // 40 lines as usual, one of them for 500 units: the units leave the interval, the lines do not.
        RunHours(Normal, (40, 579, 0), Normal);

        Assert.Empty(_alerts);
    }

    [Fact]
    public void Judge_HourWithPromotedLines_IsAKnownEventAndNotFlagged()
    {
        RunHours(Normal, (120, 240, 30), Normal);

        Assert.Empty(_alerts);
    }

    [Fact]
    public void Judge_DemandFallingBackRightAfterAPromotion_IsThePromotionEndingNotADrop()
    {
        // Promoted hours, then a fifth of the usual lines (after a promotion, buyers who bought ahead stay away).
        RunHours(Normal, (120, 240, 120), (120, 240, 120), (8, 16, 0), (8, 16, 0), (8, 16, 0));

        Assert.Empty(_alerts);
    }

    [Fact]
    public void Judge_TheSameFallWithoutAPromotionBefore_IsADrop()
    {
        RunHours(Normal, Normal, Normal, (8, 16, 0), (8, 16, 0), (8, 16, 0));

        Assert.Equal(AnomalyKinds.DemandDrop, Assert.Single(_alerts).Kind);
    }

    [Fact]
    public void Judge_SkuWithoutAWeekOfHistory_IsNotJudged()
    {
        // No sale in the window's first day: a new SKU whose window is mostly the zeros before it existed.
        RunHours(firstDayEmpty: true, Normal, Spike, Spike, Spike);

        Assert.Empty(_alerts);
    }

    [Fact]
    public void Judge_HistoryCheckOff_JudgesANewSkuToo()
    {
        var judge = new DemandAnomalyJudge(new AnomalyOptions { HistoryCheckHours = 0 });
        _firstDayEmpty = true;
        judge.Observe(_state, Forecast(E0), _shop, E0, null, _alerts);
        _hours[E0] = Spike;
        judge.Observe(_state, Forecast(E0.AddHours(1)), _shop, E0, null, _alerts);

        Assert.Equal(AnomalyKinds.DemandSpike, Assert.Single(_alerts).Kind);
    }

    [Fact]
    public void Judge_SeveralHoursCompletedAtOnce_AreEachJudged()
    {
        // An idle stretch: the next window comes three hours later and holds them all.
        _hours[E0] = Normal;
        _hours[E0.AddHours(1)] = Normal;
        _hours[E0.AddHours(2)] = Spike;
        _judge.Observe(_state, Forecast(E0), _shop, E0, "trace-1", _alerts);
        _judge.Observe(_state, Forecast(E0.AddHours(3)), _shop, E0, "trace-1", _alerts);

        var spike = Assert.Single(_alerts);
        Assert.Equal(E0.AddHours(2), spike.WindowStart);
    }

    [Fact]
    public void Judge_PromotedHourFarBelowTheForecast_IsStillADrop()
    {
        // A promotion explains more demand, never less: three lines, one of them promoted, where forty were expected.
        RunHours(Normal, (3, 6, 1), (3, 6, 1));

        var drop = Assert.Single(_alerts);
        Assert.Equal(AnomalyKinds.DemandDrop, drop.Kind);
    }

    [Fact]
    public void Judge_SkewedForecastForIntermittentDemand_DoesNotFlagAFewLines()
    {
        // P50 0 and P90 100 units: an hour with 160 units on 40 lines is above P90, but not beyond what such a forecast allows.
        var judge = new DemandAnomalyJudge(new AnomalyOptions());
        var state = new SkuDemandState();
        var quiet = new SkuForecast("SKU1", Window(E0, lastLines: 0), null, "v0007", Enumerable.Repeat(0.0, 24).ToArray(), Enumerable.Repeat(0.0, 24).ToArray(), Enumerable.Repeat(100.0, 24).ToArray());
        judge.Observe(state, quiet, _shop, E0, null, _alerts);
        var next = quiet with { Window = Window(E0.AddHours(1), lastLines: 40) };
        judge.Observe(state, next, _shop, E0, null, _alerts);

        Assert.Empty(_alerts);
    }

    private static DemandWindow Window(DateTimeOffset end, int lastLines)
    {
        var lines = Enumerable.Repeat(2, 168).ToArray();
        lines[^1] = lastLines;
        return new DemandWindow("sku:SKU1", end, end.AddMinutes(5), lines.Select(l => l * 4).ToArray(), lines, new int[168]);
    }

    private static (int Lines, int Units, int Promo) Normal => (40, 80, 0);

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(0, 1)]
    public void Judge_AForecastOfZeroForAnHourTheSkuAlwaysSellsIn_IsTheForecastsFaultNotASpike(double historyGate, int expectedAlerts)
    {
        // The model put P10 = P50 = P90 = 0 on the next hours; the SKU sells its 40 lines as on every day before.
        var judge = new DemandAnomalyJudge(new AnomalyOptions { SpikeHistoryScore = historyGate });
        var zero = Forecast(E0) with { P10 = new double[24], P50 = new double[24], P90 = new double[24] };
        judge.Observe(_state, zero, _shop, E0, null, _alerts);
        _hours[E0] = Normal;
        judge.Observe(_state, Forecast(E0.AddHours(1)), _shop, E0, null, _alerts);

        // Against the forecast alone it would be a spike (the gate off); against the SKU's own days it is an ordinary hour.
        Assert.Equal(expectedAlerts, _alerts.Count);
    }

    [Theory]
    [InlineData(0.3, 0)]
    [InlineData(0, 1)]
    public void Judge_AForecastFarAboveWhatTheSkuEverSold_IsTheForecastsFaultNotADrop(double dropHistoryScore, int expectedAlerts)
    {
        // A small SKU selling 3 lines an hour every day, forecast (wrongly) at 40; it goes on selling 2 or 3.
        for (var h = -170; h < 0; h++)
        {
            _hours[E0.AddHours(h)] = (3, 6, 0);
        }

        var judge = new DemandAnomalyJudge(new AnomalyOptions { DropHistoryScore = dropHistoryScore });
        judge.Observe(_state, Forecast(E0), _shop, E0, null, _alerts);
        for (var i = 0; i < 4; i++)
        {
            _hours[E0.AddHours(i)] = (2, 4, 0);
            judge.Observe(_state, Forecast(E0.AddHours(i + 1)), _shop, E0, null, _alerts);
        }

        Assert.Equal(expectedAlerts, _alerts.Count);
    }

    private static (int Lines, int Units, int Promo) Spike => (120, 240, 0);

    private static (int Lines, int Units, int Promo) Zero => (0, 0, 0);

    private void RunHours(params (int Lines, int Units, int Promo)[] hours) => RunHours(false, hours);

    private void RunHours(bool firstDayEmpty, params (int Lines, int Units, int Promo)[] hours)
    {
        _firstDayEmpty = firstDayEmpty;
        _judge.Observe(_state, Forecast(E0), _shop, E0, "trace-1", _alerts);
        for (var i = 0; i < hours.Length; i++)
        {
            _hours[E0.AddHours(i)] = hours[i];
            _judge.Observe(_state, Forecast(E0.AddHours(i + 1)), _shop, E0, "trace-1", _alerts);
        }
    }

    private bool _firstDayEmpty;

    private SkuForecast Forecast(DateTimeOffset end)
    {
        const int hours = 168;
        var units = new int[hours];
        var lines = new int[hours];
        var promo = new int[hours];
        for (var i = 0; i < hours; i++)
        {
            var hour = end.AddHours(i - hours);
            var (l, u, p) = _hours.TryGetValue(hour, out var set) ? set : Normal;
            if (_firstDayEmpty && i < 24)
            {
                (l, u, p) = (0, 0, 0);
            }

            (lines[i], units[i], promo[i]) = (l, u, p);
        }

        var window = new DemandWindow("sku:SKU1", end, end.AddMinutes(5), units, lines, promo);
        return new SkuForecast("SKU1", window, null, "v0007", Enumerable.Repeat(60.0, 24).ToArray(), Enumerable.Repeat(80.0, 24).ToArray(), Enumerable.Repeat(100.0, 24).ToArray());
    }
}
