using System.ComponentModel.DataAnnotations;

namespace Platform.Inference;

/// <summary>How the service judges demand, orders and stock (section "Inference:Anomalies").</summary>
public sealed class AnomalyOptions
{
    /// <summary>Score (−log10(p) / 10, as in the forecasting engine) at which an hour's demand is a spike or drop.</summary>
    public double DemandThreshold { get; set; } = 0.8;

    /// <summary>Normal hours that end a demand incident; until then no second alert of the same direction is raised.</summary>
    public int IncidentEndAfter { get; set; } = 3;

    /// <summary>
    /// Overdispersion of order lines per hour against Poisson (variance = dispersion × expected, plus the model error term).
    /// </summary>
    public double LineDispersion { get; set; } = 1.2;

    /// <summary>Relative error the forecast is never trusted beyond (a standard deviation of this share of the expected lines).</summary>
    public double RelativeModelError { get; set; } = 0.10;

    /// <summary>
    /// Hours at the start of a SKU's window that must hold a sale before its demand is judged (the SKU has about a
    /// window's worth of history, so the forecast is not made from the zeros before it existed); 0 judges every SKU.
    /// </summary>
    public int HistoryCheckHours { get; set; } = 24;

    /// <summary>
    /// Most hours before a judged hour over which the shop's demand level against the forecasts is measured (the newest
    /// alone when it holds <see cref="LevelMinLines"/>); the judge scales each SKU's forecast by it, and a shop-wide shift
    /// is one alert. 0 turns the level off.
    /// </summary>
    public int LevelHours { get; set; } = 3;

    /// <summary>Expected order lines the level's hours need before the level differs from 1 (and before a shop-wide hour is judged).</summary>
    public double LevelMinLines { get; set; } = 200;

    /// <summary>
    /// Score a spike must also reach above the SKU's busiest same hour of the days before (up to 7, at least 3): a
    /// forecast can be wrong on its own. 0 turns this check off.
    /// </summary>
    public double SpikeHistoryScore { get; set; } = 0.5;

    /// <summary>Score a drop must also reach below the SKU's mean lines in the same hour of the days before; 0 turns this check off.</summary>
    public double DropHistoryScore { get; set; } = 0.3;

    /// <summary>Score at which an order is risky (the engine's OrderRiskScorer threshold).</summary>
    public double OrderRiskThreshold { get; set; } = 0.8;

    /// <summary>Score at or above which an alert is "critical" rather than "warning".</summary>
    public double CriticalScore { get; set; } = 0.95;

    /// <summary>Lead time assumed when an inventory.levels message gives none (hours).</summary>
    public double DefaultLeadTimeHours { get; set; } = 24;

    public bool DemandAlerts { get; set; } = true;

    public bool OrderRiskAlerts { get; set; } = true;

    public bool StockoutAlerts { get; set; } = true;

    public bool RegionVolumeAlerts { get; set; } = true;

    /// <summary>
    /// Score at which a region's orders count as dropped. Lower than <see cref="DemandThreshold"/>: a handful of regions is
    /// judged per bucket rather than every SKU per hour, so the same false-alarm rate allows weaker evidence.
    /// </summary>
    public double RegionThreshold { get; set; } = 0.6;

    /// <summary>Event-time bucket in which each region's orders are counted against its usual share.</summary>
    public TimeSpan RegionBucket { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far event time must be past a bucket's end before it is judged (lines for it may still arrive until then).</summary>
    public TimeSpan RegionLateness { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Buckets seen before regions are judged (their shares are learned first).</summary>
    public int RegionWarmUpBuckets { get; set; } = 4;

    /// <summary>A region expected to have fewer orders than this in a bucket is not judged (too little evidence either way).</summary>
    public double RegionMinExpectedOrders { get; set; } = 3;

    internal IEnumerable<ValidationResult> Validate()
    {
        if (DemandThreshold is <= 0 or >= 1 || RegionThreshold is <= 0 or >= 1 || OrderRiskThreshold is <= 0 or >= 1 || CriticalScore is <= 0 or > 1)
        {
            yield return new ValidationResult("Inference:Anomalies thresholds must lie in (0, 1).");
        }

        if (HistoryCheckHours < 0)
        {
            yield return new ValidationResult("Inference:Anomalies:HistoryCheckHours must not be negative.");
        }

        if (RegionBucket <= TimeSpan.Zero || RegionLateness < TimeSpan.Zero || RegionWarmUpBuckets < 1 || !(RegionMinExpectedOrders > 0))
        {
            yield return new ValidationResult(
                "Inference:Anomalies: RegionBucket must be positive, RegionLateness not negative, RegionWarmUpBuckets at least 1, RegionMinExpectedOrders positive.");
        }

        if (SpikeHistoryScore is < 0 or >= 1 || DropHistoryScore is < 0 or >= 1 || double.IsNaN(SpikeHistoryScore) || double.IsNaN(DropHistoryScore))
        {
            yield return new ValidationResult("Inference:Anomalies: SpikeHistoryScore and DropHistoryScore must be in [0, 1).");
        }

        if (LevelHours < 0 || !(LevelMinLines > 0))
        {
            yield return new ValidationResult("Inference:Anomalies: LevelHours must not be negative, LevelMinLines must be positive.");
        }

        if (IncidentEndAfter < 1 || !(LineDispersion >= 1) || !(RelativeModelError >= 0) || !(DefaultLeadTimeHours > 0))
        {
            yield return new ValidationResult(
                "Inference:Anomalies: IncidentEndAfter must be at least 1, LineDispersion at least 1, RelativeModelError not negative, DefaultLeadTimeHours positive.");
        }
    }
}
