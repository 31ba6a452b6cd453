namespace Platform.Forecasting.Data;

/// <summary>
/// Collects issues with bounded memory: every issue is counted by code, but only the first
/// <see cref="MaxKept"/> are kept in full (a file of a million bad rows must not need a million records).
/// </summary>
public sealed class SeriesIssueLog
{
    private readonly List<SeriesIssue> _kept = [];
    private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public SeriesIssueLog(int maxKept = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxKept);
        MaxKept = maxKept;
    }

    public int MaxKept { get; }

    /// <summary>The first <see cref="MaxKept"/> issues, in the order they were found.</summary>
    public IReadOnlyList<SeriesIssue> Kept => _kept;

    /// <summary>Number of issues per code, codes in ordinal order.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    public long Total { get; private set; }

    public void Add(SeriesIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        Total++;
        _counts[issue.Code] = _counts.GetValueOrDefault(issue.Code) + 1;
        if (_kept.Count < MaxKept)
        {
            _kept.Add(issue);
        }
    }

    public void Add(string code, string? seriesId, long? row, string message) => Add(new SeriesIssue(code, seriesId, row, message));
}
