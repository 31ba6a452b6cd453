namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Everything <see cref="StreamingSeriesDetector"/> remembers about one series: a few hundred numbers for hourly
/// data with a daily and weekly cycle. Plain properties, no NaN, so System.Text.Json round-trips it and a
/// service can checkpoint it beside its Kafka offsets (<see cref="StreamingSeriesDetector.Snapshot"/>,
/// <see cref="StreamingSeriesDetector.Restore"/>).
/// </summary>
public sealed class SeriesDetectorState
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    /// <summary>Position of the next point.</summary>
    public long Position { get; set; }

    /// <summary>Points with a value seen so far.</summary>
    public long Observed { get; set; }

    /// <summary>Warm-up buffer (positions and values) until the baseline is fitted; empty afterwards.</summary>
    public List<long> WarmupPositions { get; set; } = [];

    public List<double> WarmupValues { get; set; } = [];

    public bool Fitted { get; set; }

    /// <summary>True when the warm-up held a negative value: seasonality is added, not multiplied.</summary>
    public bool Additive { get; set; }

    /// <summary>True when the warm-up held only non-negative whole numbers: the noise is at least Poisson's.</summary>
    public bool Counts { get; set; }

    /// <summary>Added to the expected value in the variance function, so quiet slots keep a non-zero scale.</summary>
    public double VarianceOffset { get; set; }

    /// <summary>Smallest <see cref="Dispersion"/>: 1 for counts (Poisson), a tiny share of the level otherwise.</summary>
    public double DispersionFloor { get; set; }

    /// <summary>φ of the variance φ·(expected + offset) + ρ²·expected²: the count-like part of the noise.</summary>
    public double Dispersion { get; set; }

    /// <summary>ρ² of the variance: the relative part of the noise (baseline error), at least MinRelativeScale².</summary>
    public double RelativeVariance { get; set; }

    /// <summary>EW weighted least-squares sums that estimate φ and ρ² from squared residuals: Svv, Sve, See, Svd, Sed.</summary>
    public double[] VarianceSums { get; set; } = new double[5];

    public double LevelNum { get; set; }

    public double LevelDen { get; set; }

    public double[] SlotNum { get; set; } = [];

    public double[] SlotDen { get; set; } = [];

    public double[] BlockNum { get; set; } = [];

    public double[] BlockDen { get; set; } = [];

    /// <summary>The last values by position modulo the ring length (the longest season), for the "vs one season ago" inputs.</summary>
    public double[] Recent { get; set; } = [];

    /// <summary>Position each <see cref="Recent"/> entry was seen at (−1 for none), so a gap leaves no stale value.</summary>
    public long[] RecentPosition { get; set; } = [];

    /// <summary>Standardized residuals and values of the last three scored points, for the "recent level" input.</summary>
    public double[] RecentZ { get; set; } = [];

    public double[] RecentValue { get; set; } = [];

    public double[] RecentExpected { get; set; } = [];

    /// <summary>Scored points remembered so far; the next goes to index RecentCount mod 3.</summary>
    public long RecentCount { get; set; }

    public bool InIncident { get; set; }

    public AnomalyDirection IncidentDirection { get; set; }

    public int NormalRun { get; set; }

    public SeriesDetectorState Clone()
    {
        var copy = (SeriesDetectorState)MemberwiseClone();
        copy.WarmupPositions = [.. WarmupPositions];
        copy.WarmupValues = [.. WarmupValues];
        copy.SlotNum = (double[])SlotNum.Clone();
        copy.SlotDen = (double[])SlotDen.Clone();
        copy.BlockNum = (double[])BlockNum.Clone();
        copy.BlockDen = (double[])BlockDen.Clone();
        copy.VarianceSums = (double[])VarianceSums.Clone();
        copy.Recent = (double[])Recent.Clone();
        copy.RecentPosition = (long[])RecentPosition.Clone();
        copy.RecentZ = (double[])RecentZ.Clone();
        copy.RecentValue = (double[])RecentValue.Clone();
        copy.RecentExpected = (double[])RecentExpected.Clone();
        return copy;
    }
}
