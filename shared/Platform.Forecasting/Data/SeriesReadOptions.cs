namespace Platform.Forecasting.Data;

/// <summary>How <see cref="LongCsvReader"/> repairs what it finds.</summary>
public sealed record SeriesReadOptions
{
    public DuplicatePolicy Duplicates { get; init; } = DuplicatePolicy.Sum;

    public GapPolicy Gaps { get; init; } = GapPolicy.Zero;

    /// <summary>
    /// Most periods one series may span after gaps are filled. A stray timestamp years away from the rest at an
    /// hourly step would otherwise allocate a huge zero-filled array; such a series is left out with an issue.
    /// </summary>
    public int MaxPeriodsPerSeries { get; init; } = 1_000_000;

    /// <summary>Most issues kept in full (all are counted).</summary>
    public int MaxIssuesKept { get; init; } = 1000;
}
