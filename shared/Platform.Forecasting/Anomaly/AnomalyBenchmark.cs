using Platform.Contracts;

namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Scores the anomaly engine on an order stream with labelled anomaly windows (the simulator's ground truth, or
/// any labelled history): hourly demand per SKU through <see cref="StreamingSeriesDetector"/>, every order through
/// <see cref="OrderRiskScorer"/>, then window-level precision, recall and F1 (<see cref="WindowEvaluator"/>).
/// </summary>
/// <remarks>
/// Series part (kinds demand_spike, demand_drop): a flag is one incident on one SKU. Windows of region outages and
/// customer bursts excuse flags on every SKU (they move every SKU's demand). A window is eligible for recall when
/// (1) it starts after the warm-up, (2) no promotion runs on its SKU during it (the detector is told not to judge
/// known events), and (3) the SKU's typical lines in the window — the mean of the same hours of the week in the
/// weeks before, outside promotions — are at least <see cref="MinWindowLines"/>: below that, even a total stop is
/// within what the noise does at a one-in-10^8 level (for example a drop at night, or on a SKU that sells a few
/// lines a day). Orders part (kinds price_error, customer_burst): a flag is one risk incident on a SKU (price,
/// quantity) or a customer (velocity); spike windows excuse quantity flags on their SKU (the simulator inflates
/// their quantities). Price-error and burst windows are eligible when they start after the scorer's warm-up.
/// </remarks>
public sealed class AnomalyBenchmark
{
    public static readonly IReadOnlyList<string> SeriesKinds = [LabelledKinds.DemandSpike, LabelledKinds.DemandDrop];

    public static readonly IReadOnlyList<string> OrderKinds = [LabelledKinds.PriceError, LabelledKinds.CustomerBurst];

    public AnomalyBenchmark(DateTimeOffset start, int hours)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hours);
        Start = start;
        Hours = hours;
    }

    public DateTimeOffset Start { get; }

    public int Hours { get; }

    public SeriesDetectorOptions SeriesOptions { get; init; } = new() { SeasonLength = 24, SecondSeasonLength = 168 };

    public OrderRiskOptions RiskOptions { get; init; } = new();

    public DemandMeasure Measure { get; init; } = DemandMeasure.Lines;

    /// <summary>Learn the hour-of-week shape from all SKUs together (see <see cref="SharedSeasonalShape"/>).</summary>
    public bool SharedShape { get; init; } = true;

    /// <summary>A window must span at least this many typical lines (units with <see cref="DemandMeasure.Units"/>) of its SKU to be eligible.</summary>
    public double MinWindowLines { get; init; } = 20;

    /// <summary>A flag up to this long after a window's end still belongs to it.</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Runs the whole benchmark. <paramref name="orders"/> in time order; placed and cancelled orders, duplicates removed.</summary>
    public AnomalyBenchmarkReport Run(IEnumerable<OrderEvent> orders, IReadOnlyList<LabelledWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(windows);
        var builder = new DemandSeriesBuilder(Start, TimeSpan.FromHours(1), Measure);
        var scorer = new OrderRiskScorer(RiskOptions);
        var riskFlags = new List<DetectionFlag>();
        DateTimeOffset? riskWarmEnd = null;
        long placed = 0;
        foreach (var order in orders)
        {
            builder.Add(order);
            var risk = scorer.Score(order);
            if (order.EventType != OrderEventTypes.Placed) continue;
            if (++placed == RiskOptions.WarmupOrders) riskWarmEnd = order.OccurredAt;
            foreach (var incident in risk.NewIncidents)
            {
                riskFlags.Add(new DetectionFlag(incident.Target, order.OccurredAt, order.OccurredAt, incident.Reason));
            }
        }

        var series = builder.Build(Hours);
        return new AnomalyBenchmarkReport(EvaluateSeries(series, windows), EvaluateOrders(riskFlags, windows, riskWarmEnd ?? Start), series, placed);
    }

    /// <summary>The series part alone, on series already built (for example read back from a labelled series file).</summary>
    public SeriesBenchmarkResult EvaluateSeries(IReadOnlyList<DemandSeries> series, IReadOnlyList<LabelledWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(windows);
        var flags = new List<DetectionFlag>();
        var timeSeries = series.Select(s => s.Series).ToArray();
        DemandDetectionRun.Run(timeSeries, series.Select(s => s.Promoted).ToArray(), SeriesOptions, SharedShape, (i, point) =>
        {
            if (!point.IsAnomaly) return;
            var s = timeSeries[i];
            var at = new DateTimeOffset(s.TimestampAt((int)point.Position), TimeSpan.Zero);
            flags.Add(new DetectionFlag(s.Id, at, at + s.Step, point.Direction == AnomalyDirection.Spike ? "spike" : "drop"));
        });

        var warmEnd = Start + SeriesWarmup * TimeSpan.FromHours(1);
        var byId = series.ToDictionary(s => s.Series.Id, StringComparer.Ordinal);
        var eligibility = new Dictionary<LabelledWindow, string?>(ReferenceEqualityComparer.Instance);
        var targets = windows.Where(w => SeriesKinds.Contains(w.Kind)).ToArray();
        foreach (var w in targets) eligibility[w] = Ineligible(w, byId, warmEnd);
        var excuses = windows.Where(w => w.Kind is LabelledKinds.RegionOutage or LabelledKinds.CustomerBurst).Select(w => w with { Target = null }).ToArray();
        var evaluation = new WindowEvaluator(Tolerance).Evaluate(flags, targets, w => eligibility[w] is null, excuses, SeriesKinds);
        return new SeriesBenchmarkResult(evaluation, flags, targets.Select(w => new WindowEligibility(w, eligibility[w])).ToArray());
    }

    /// <summary>Hours before the first series flag can be raised: the shared shape's warm-up (or a series' own).</summary>
    public int SeriesWarmup => SeriesOptions.EffectiveWarmup;

    private OrderBenchmarkResult EvaluateOrders(List<DetectionFlag> flags, IReadOnlyList<LabelledWindow> windows, DateTimeOffset warmEnd)
    {
        var targets = windows.Where(w => OrderKinds.Contains(w.Kind)).ToArray();
        var excuses = windows.Where(w => w.Kind == LabelledKinds.DemandSpike).ToArray();
        var evaluation = new WindowEvaluator(Tolerance).Evaluate(flags, targets, w => w.Start >= warmEnd, excuses, OrderKinds);
        return new OrderBenchmarkResult(evaluation, flags);
    }

    private string? Ineligible(LabelledWindow window, Dictionary<string, DemandSeries> series, DateTimeOffset warmEnd)
    {
        if (window.Start < warmEnd) return "starts in the warm-up";
        if (window.Target is null || !series.TryGetValue(window.Target, out var s)) return "no sales of the SKU";
        var step = s.Series.Step;
        var lag = Math.Max(SeriesOptions.SecondSeasonLength, SeriesOptions.SeasonLength);
        double typical = 0;
        var promoted = false;
        var first = (int)Math.Max(0, (window.Start - Start).Ticks / step.Ticks);
        var last = (int)Math.Min(s.Series.Length - 1, (window.End - Start).Ticks / step.Ticks);
        for (var t = first; t <= last; t++)
        {
            var periodStart = Start + t * step;
            var overlap = (Min(window.End, periodStart + step) - Max(window.Start, periodStart)).Ticks / (double)step.Ticks;
            if (overlap <= 0) continue;
            promoted |= s.Promoted[t];
            double sum = 0;
            var count = 0;
            for (var back = t - lag; back >= 0; back -= lag)
            {
                if (s.Promoted[back]) continue;
                sum += s.Series.Values[back];
                count++;
            }

            if (count > 0) typical += overlap * sum / count;
        }

        if (promoted) return "a promotion runs on the SKU";
        return typical < MinWindowLines ? $"fewer than {MinWindowLines:0} typical {(Measure == DemandMeasure.Lines ? "lines" : "units")} in the window" : null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
