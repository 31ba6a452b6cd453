using Platform.Contracts;

namespace Platform.Forecasting.Anomaly;

/// <summary>
/// The verdict on one point of a series, computed from the points before it only.
/// <see cref="Lower"/> and <see cref="Upper"/> bound the interval (<see cref="SeriesDetectorOptions.IntervalCoverage"/>)
/// outside which a point must lie to be flagged; <see cref="Scale"/> is the noise scale in the series' units, so
/// Expected ± 1.2816 × Scale is the 80 % interval.
/// </summary>
/// <param name="Position">0-based position of the point in its series (gaps count).</param>
/// <param name="IsScored">False during warm-up and for missing values; such points have score 0 and are never flagged.</param>
/// <param name="IsAnomaly">True on the first anomalous point of an incident only (one flag per incident).</param>
/// <param name="InIncident">True on every point of an incident, including the flagged one and the normal points before it ends.</param>
/// <param name="Contributors">For flagged points: the inputs that moved most, largest first; empty otherwise.</param>
public readonly record struct SeriesPointScore(
    long Position,
    double Value,
    double Expected,
    double Lower,
    double Upper,
    double Scale,
    double Score,
    AnomalyDirection Direction,
    bool IsScored,
    bool IsAnomaly,
    bool InIncident,
    IReadOnlyList<AnomalyContributor> Contributors);
