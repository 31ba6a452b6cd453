namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Settings of <see cref="StreamingSeriesDetector"/>. Defaults suit hourly demand with a daily and a weekly cycle
/// (<see cref="ForStep"/> picks the seasons from the series' step). See docs/models.md, "Anomaly detection".
/// </summary>
public sealed record SeriesDetectorOptions
{
    /// <summary>Main season in points (24 for hourly data, 7 for daily data); 1 for none.</summary>
    public int SeasonLength { get; init; } = 24;

    /// <summary>
    /// Optional longer season, a multiple of <see cref="SeasonLength"/> (168 for hourly data: the day of week), or 0.
    /// Modelled as one factor per block of <see cref="SeasonLength"/> points, so a weekday shape is learnt from whole days.
    /// </summary>
    public int SecondSeasonLength { get; init; }

    /// <summary>
    /// Score at or above which a point outside the interval is anomalous. The score is −log10(p) / 10 for the tail
    /// probability p of the evidence, so 0.8 means a one-in-10^8 deviation: rare enough that a thousand series of
    /// hourly data raise about one false flag a month from noise alone.
    /// </summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>Coverage of the interval a flagged point must lie outside of (0.999: expected ± 3.29 scales).</summary>
    public double IntervalCoverage { get; init; } = 0.999;

    /// <summary>Points before the first flag; they are buffered, then fit the baseline. 0 = the default: max(3 seasons, long season + season, 24).</summary>
    public int WarmupPoints { get; init; }

    /// <summary>
    /// Observed points a series needs before its first flag when it uses a <see cref="SharedSeasonalShape"/> (which has
    /// its own, longer warm-up): only its level and noise are left to learn. Default: one day of hourly points.
    /// </summary>
    public int SharedShapeWarmup { get; init; } = 24;

    /// <summary>An incident ends after this many consecutive normal points; until then no new flag is raised.</summary>
    public int IncidentEndAfter { get; init; } = 3;

    /// <summary>Memory of the level in points (EW weight 1/N per point, weighted by the seasonal shape).</summary>
    public double LevelMemory { get; init; } = 48;

    /// <summary>Memory of each season slot, in visits of the slot (seasons).</summary>
    public double SeasonMemory { get; init; } = 6;

    /// <summary>Memory of each long-season factor, in long seasons (weeks for hourly data).</summary>
    public double SecondSeasonMemory { get; init; } = 3;

    /// <summary>Memory of the noise model (φ and ρ²), in points.</summary>
    public double ScaleMemory { get; init; } = 200;

    /// <summary>
    /// Smallest noise relative to the expected value (multiplicative series): 0.05 means the baseline is never
    /// trusted to better than ±5 %, so a small error in the seasonal shape is not an incident on high-volume series.
    /// </summary>
    public double MinRelativeScale { get; init; } = 0.05;

    /// <summary>Points further than this many scales from the expected value are absorbed clipped to that distance, so an anomaly cannot drag the baseline.</summary>
    public double AbsorbClip { get; init; } = 2.5;

    public static SeriesDetectorOptions ForStep(TimeSpan step) => step == TimeSpan.FromHours(1)
        ? new SeriesDetectorOptions { SeasonLength = 24, SecondSeasonLength = 168 }
        : step == TimeSpan.FromDays(1)
            ? new SeriesDetectorOptions { SeasonLength = 7, SecondSeasonLength = 0 }
            : new SeriesDetectorOptions { SeasonLength = 1, SecondSeasonLength = 0 };

    public int EffectiveWarmup => WarmupPoints > 0
        ? WarmupPoints
        : Math.Max(Math.Max(3 * SeasonLength, SecondSeasonLength > 0 ? SecondSeasonLength + SeasonLength : 0), 24);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }

        Check(SeasonLength >= 1, "The season length must be at least 1.");
        Check(SecondSeasonLength == 0 || (SecondSeasonLength > SeasonLength && SecondSeasonLength % SeasonLength == 0),
            "The second season length must be 0 or a multiple of the season length larger than it.");
        Check(Threshold is > 0 and < 1, "The threshold must be in (0, 1).");
        Check(IntervalCoverage is > 0.5 and < 1, "The interval coverage must be in (0.5, 1).");
        Check(WarmupPoints >= 0, "The warm-up must not be negative.");
        Check(SharedShapeWarmup >= 1, "SharedShapeWarmup must be at least 1.");
        Check(IncidentEndAfter >= 1, "IncidentEndAfter must be at least 1.");
        Check(LevelMemory >= 1 && SeasonMemory >= 1 && SecondSeasonMemory >= 1 && ScaleMemory >= 1, "Memories must be at least 1.");
        Check(AbsorbClip > 0, "AbsorbClip must be positive.");
        Check(MinRelativeScale >= 0, "MinRelativeScale must not be negative.");
    }
}
