using System.Globalization;

namespace Platform.OfflineStore;

/// <summary>
/// Where the offline store keeps its files: <c>{root}/{table}/date=YYYY-MM-DD/part-{utc timestamp}-{guid}.parquet</c>,
/// partitioned by the UTC date of the event time (order lines) or of the as-of time (feature snapshots). Files are
/// written under a hidden temporary name (<c>.part-….parquet.tmp</c>) and renamed when complete, so anything named
/// <c>part-*.parquet</c> is whole; readers (this one, Spark, pyarrow) skip names starting with a dot.
/// </summary>
public static class OfflineStoreLayout
{
    public const string OrderLinesTable = "order_lines";
    public const string FeatureSnapshotsTable = "feature_snapshots";

    private const string DatePrefix = "date=";
    private const string DateFormat = "yyyy-MM-dd";
    private const string TempSuffix = ".tmp";

    public static string PartitionDirectory(string root, string table, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(table);
        return Path.Combine(root, table, DatePrefix + date.ToString(DateFormat, CultureInfo.InvariantCulture));
    }

    /// <summary>The UTC calendar date of an instant: the partition a line or snapshot belongs to.</summary>
    public static DateOnly PartitionDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);

    /// <summary>"part-20240301T120000123Z-{32 hex}.parquet": sorts by write time, unique across writers.</summary>
    public static string NewPartFileName(DateTimeOffset utcNow) =>
        string.Create(CultureInfo.InvariantCulture, $"part-{utcNow.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}.parquet");

    /// <summary>True for a complete data file; false for temporary and foreign files.</summary>
    public static bool IsPartFile(string fileName) =>
        fileName.StartsWith("part-", StringComparison.Ordinal) && fileName.EndsWith(".parquet", StringComparison.Ordinal);

    /// <summary>The hidden name a file is written under before it is renamed to <paramref name="finalPath"/>.</summary>
    public static string TemporaryPathFor(string finalPath)
    {
        var directory = Path.GetDirectoryName(finalPath) ?? ".";
        return Path.Combine(directory, "." + Path.GetFileName(finalPath) + TempSuffix);
    }

    /// <summary>The dates that have a partition folder in <paramref name="table"/>, ascending.</summary>
    public static IReadOnlyList<DateOnly> ListDates(string root, string table)
    {
        var tableDirectory = Path.Combine(root, table);
        if (!Directory.Exists(tableDirectory)) return [];
        var dates = new List<DateOnly>();
        foreach (var directory in Directory.EnumerateDirectories(tableDirectory))
        {
            var name = Path.GetFileName(directory);
            if (name.StartsWith(DatePrefix, StringComparison.Ordinal) &&
                DateOnly.TryParseExact(name.AsSpan(DatePrefix.Length), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                dates.Add(date);
            }
        }

        dates.Sort();
        return dates;
    }

    /// <summary>The complete data files of one partition, in name (so write-time) order.</summary>
    public static IReadOnlyList<string> ListPartFiles(string root, string table, DateOnly date)
    {
        var directory = PartitionDirectory(root, table, date);
        if (!Directory.Exists(directory)) return [];
        var files = Directory.EnumerateFiles(directory).Where(f => IsPartFile(Path.GetFileName(f))).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
