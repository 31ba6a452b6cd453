using System.Runtime.CompilerServices;
using Platform.Contracts;
using Platform.Features;

namespace Platform.OfflineStore;

/// <summary>The order lines of one date partition, duplicates dropped, in (event time, line id) order.</summary>
public sealed record OrderLineDay(DateOnly Date, IReadOnlyList<OrderLineValidated> Lines, int FilesRead, long RowsRead, long DuplicatesDropped);

/// <summary>The order lines of a date range and what reading them took.</summary>
public sealed record OrderLineReadResult(IReadOnlyList<OrderLineValidated> Lines, int PartitionsRead, int FilesRead, long RowsRead, long DuplicatesDropped);

/// <summary>
/// Reads the offline store. Opens only the date partitions asked for and only complete files (never the temporary
/// ones a writer is still filling). Exactly-once over the at-least-once writer: a line replayed after a crash has
/// the same line id and the same event time, so it lands in the same date partition; each partition keeps the
/// first copy of every line id (files in write order) and drops the rest.
/// </summary>
public sealed class OfflineStoreReader
{
    public OfflineStoreReader(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = rootDirectory;
    }

    public string RootDirectory { get; }

    /// <summary>The dates with an order-line partition, ascending.</summary>
    public IReadOnlyList<DateOnly> OrderLineDates() => OfflineStoreLayout.ListDates(RootDirectory, OfflineStoreLayout.OrderLinesTable);

    /// <summary>The dates with a feature-snapshot partition, ascending.</summary>
    public IReadOnlyList<DateOnly> SnapshotDates() => OfflineStoreLayout.ListDates(RootDirectory, OfflineStoreLayout.FeatureSnapshotsTable);

    /// <summary>
    /// One <see cref="OrderLineDay"/> per existing partition from <paramref name="from"/> to <paramref name="to"/>
    /// (inclusive), in date order, so lines come out in event-time order overall while only one day is in memory.
    /// </summary>
    public async IAsyncEnumerable<OrderLineDay> ReadOrderLineDaysAsync(DateOnly from, DateOnly to, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var pool = new StringPool();
        foreach (var date in OrderLineDates())
        {
            if (date < from) continue;
            if (date > to) yield break;
            yield return await ReadDayAsync(date, pool, ct);
        }
    }

    /// <summary>All order lines with event date from <paramref name="from"/> to <paramref name="to"/> (inclusive), in event-time order.</summary>
    public async Task<OrderLineReadResult> ReadOrderLinesAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var lines = new List<OrderLineValidated>();
        int partitions = 0, files = 0;
        long rows = 0, duplicates = 0;
        await foreach (var day in ReadOrderLineDaysAsync(from, to, ct))
        {
            partitions++;
            files += day.FilesRead;
            rows += day.RowsRead;
            duplicates += day.DuplicatesDropped;
            lines.AddRange(day.Lines);
        }

        return new OrderLineReadResult(lines, partitions, files, rows, duplicates);
    }

    /// <summary>
    /// Feature snapshots with as-of date in the range, in (as-of, entity) order; a snapshot written twice (same entity,
    /// as-of time and schema hash) is returned once.
    /// </summary>
    public async Task<IReadOnlyList<FeatureVector>> ReadSnapshotsAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var pool = new StringPool();
        var result = new List<FeatureVector>();
        foreach (var date in SnapshotDates())
        {
            if (date < from) continue;
            if (date > to) break;
            var seen = new HashSet<(string, long, string)>();
            var day = new List<FeatureVector>();
            foreach (var file in OfflineStoreLayout.ListPartFiles(RootDirectory, OfflineStoreLayout.FeatureSnapshotsTable, date))
            {
                foreach (var vector in await FeatureSnapshotParquet.ReadAsync(file, pool, ct))
                {
                    if (seen.Add((vector.EntityKey, vector.AsOf.UtcTicks, vector.SchemaHash))) day.Add(vector);
                }
            }

            day.Sort((a, b) => a.AsOf.UtcTicks != b.AsOf.UtcTicks ? a.AsOf.UtcTicks.CompareTo(b.AsOf.UtcTicks) : string.CompareOrdinal(a.EntityKey, b.EntityKey));
            result.AddRange(day);
        }

        return result;
    }

    private async Task<OrderLineDay> ReadDayAsync(DateOnly date, StringPool pool, CancellationToken ct)
    {
        var files = OfflineStoreLayout.ListPartFiles(RootDirectory, OfflineStoreLayout.OrderLinesTable, date);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<OrderLineValidated>();
        long rows = 0;
        foreach (var file in files)
        {
            foreach (var line in await OrderLineParquet.ReadAsync(file, pool, ct))
            {
                rows++;
                if (seen.Add(line.LineId)) lines.Add(line);
            }
        }

        // The order OfflineFeatureBuilder replays in, so that a streaming replay of the days gives the same vectors.
        lines.Sort(static (a, b) =>
        {
            var byTime = a.OccurredAt.UtcTicks.CompareTo(b.OccurredAt.UtcTicks);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.LineId, b.LineId);
        });
        return new OrderLineDay(date, lines, files.Count, rows, rows - lines.Count);
    }
}
