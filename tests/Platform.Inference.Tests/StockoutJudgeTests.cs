using Platform.Contracts;
using Platform.Inference.Pipeline;
using Platform.OnlineStore;

namespace Platform.Inference.Tests;

public sealed class StockoutJudgeTests
{
    private static readonly DateTimeOffset Origin = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly StockoutJudge _judge = new(new AnomalyOptions());

    [Fact]
    public void Stockout_OnHandBelowLeadTimeP90_IsRisk_WithTheChanceOfRunningOut()
    {
        // 10 hours of lead time at P10/P50/P90 = 5/10/15 an hour: 50/100/150 units.
        var (atRisk, alert) = _judge.Observe(Level(onHand: 100, lead: 10), Forecast(), wasAtRisk: false, Origin, "t");

        Assert.True(atRisk);
        Assert.NotNull(alert);
        Assert.Equal(AnomalyKinds.StockoutRisk, alert.Kind);
        Assert.Equal(150, alert.ExpectedP90, 1e-9);
        Assert.Equal(100, alert.ExpectedP50, 1e-9);
        Assert.Equal(0.5, alert.Score, 1e-6);
        Assert.Equal("warning", alert.Severity);
        Assert.Equal(Origin.AddHours(10), alert.WindowEnd);
        Assert.Equal(40, alert.Contributors[2].Value);
    }

    [Fact]
    public void Stockout_OngoingIncident_RaisesNoSecondAlert_UntilStockRecovers()
    {
        Assert.Null(_judge.Observe(Level(onHand: 20, lead: 10), Forecast(), wasAtRisk: true, Origin, null).Alert);

        var recovered = _judge.Observe(Level(onHand: 150, lead: 10), Forecast(), wasAtRisk: true, Origin, null);

        Assert.False(recovered.AtRisk);
        Assert.Null(recovered.Alert);
    }

    [Fact]
    public void Stockout_LeadTimeBeyondTheHorizon_ScalesTheHorizonsDemand_AndFractionsCountTheirShare()
    {
        var beyond = _judge.Observe(Level(onHand: 0, lead: 48), Forecast(), false, Origin, null).Alert!;
        var fraction = _judge.Observe(Level(onHand: 0, lead: 2.5), Forecast(), false, Origin, null).Alert!;

        Assert.Equal(48 * 15, beyond.ExpectedP90, 1e-9);
        Assert.Equal(2.5 * 15, fraction.ExpectedP90, 1e-9);
        Assert.Equal("critical", beyond.Severity);
        Assert.True(beyond.Score > 0.99);
    }

    [Fact]
    public void Stockout_NoLeadTimeGiven_UsesTheDefault()
    {
        var alert = _judge.Observe(Level(onHand: 0, lead: 0), Forecast(), false, Origin, null).Alert!;

        Assert.Equal(24 * 15, alert.ExpectedP90, 1e-9);
    }

    private static InventoryLevel Level(double onHand, double lead) =>
        new() { Sku = "SKU1", OnHand = onHand, OnOrder = 40, LeadTimeHours = lead, AsOf = Origin };

    private static SkuForecast Forecast()
    {
        var window = new DemandWindow("sku:SKU1", Origin, Origin, new int[168], new int[168], new int[168]);
        return new SkuForecast("SKU1", window, null, "v0001", Enumerable.Repeat(5.0, 24).ToArray(), Enumerable.Repeat(10.0, 24).ToArray(), Enumerable.Repeat(15.0, 24).ToArray());
    }
}
