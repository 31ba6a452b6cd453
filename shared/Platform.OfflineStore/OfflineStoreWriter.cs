using Platform.Contracts;
using Platform.Features;

namespace Platform.OfflineStore;

/// <summary>What one <see cref="OfflineStoreWriter.FlushAsync"/> wrote.</summary>
public sealed record OfflineFlushResult(int Lines, int Snapshots, IReadOnlyList<string> Files)
{
    public static OfflineFlushResult Empty { get; } = new(0, 0, []);
}

/// <summary>
/// Appends order lines and feature snapshots to the offline store (see <see cref="OfflineStoreLayout"/>).
/// <see cref="Append"/> and <see cref="AppendSnapshot"/> only buffer; <see cref="FlushAsync"/> writes the buffer as
/// one new Parquet file per date partition (lines by event date, snapshots by as-of date), each written under a
/// temporary name and renamed when complete. Flushing is the caller's job (every N lines or seconds, and before
/// committing the consumed offsets). At-least-once: a crash after a flush but before the offsets were committed
/// replays lines, which land in the same partition again; <see cref="OfflineStoreReader"/> drops the duplicates.
/// Thread-safe: appends may run while a flush writes; flushes run one at a time.
/// </summary>
public sealed class OfflineStoreWriter : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly TimeProvider _time;
    private List<OrderLineValidated> _lines = [];
    private List<FeatureVector> _snapshots = [];

    /// <param name="rootDirectory">The store's root folder; created on the first flush.</param>
    /// <param name="schema">The schema of the snapshots appended (its names become the feature columns); default <see cref="FeatureSchema.Default"/>.</param>
    /// <param name="time">Clock for the file names; default the system clock.</param>
    public OfflineStoreWriter(string rootDirectory, FeatureSchema? schema = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = rootDirectory;
        Schema = schema ?? FeatureSchema.Default;
        _time = time ?? TimeProvider.System;
    }

    public string RootDirectory { get; }

    public FeatureSchema Schema { get; }

    /// <summary>Lines appended and not yet flushed.</summary>
    public int BufferedLines
    {
        get
        {
            lock (_gate) return _lines.Count;
        }
    }

    /// <summary>Snapshots appended and not yet flushed.</summary>
    public int BufferedSnapshots
    {
        get
        {
            lock (_gate) return _snapshots.Count;
        }
    }

    /// <summary>Test hook: runs after a file is complete under its temporary name and before the rename.</summary>
    internal Func<string, Task>? BeforeCommit { get; set; }

    public void Append(OrderLineValidated line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate) _lines.Add(line);
    }

    /// <summary>Buffers one feature vector of <see cref="Schema"/> (for example an hourly snapshot of every entity).</summary>
    public void AppendSnapshot(FeatureVector vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        if (vector.SchemaHash != Schema.Hash || vector.Values.Length != Schema.Count)
        {
            throw new ArgumentException(
                $"The vector is of feature schema {vector.SchemaHash} with {vector.Values.Length} values; this writer stores schema {Schema.Hash} ({Schema.Count} features).",
                nameof(vector));
        }

        lock (_gate) _snapshots.Add(vector);
    }

    /// <summary>
    /// Writes everything buffered so far. Returns when the files are renamed into place (and flushed to disk). If a
    /// write fails, the partitions not yet written go back into the buffer for the next flush and the exception is
    /// rethrown; those already written stay (a later flush cannot duplicate them).
    /// </summary>
    public async Task<OfflineFlushResult> FlushAsync(CancellationToken ct = default)
    {
        await _flushLock.WaitAsync(ct);
        try
        {
            List<OrderLineValidated> lines;
            List<FeatureVector> snapshots;
            lock (_gate)
            {
                if (_lines.Count == 0 && _snapshots.Count == 0) return OfflineFlushResult.Empty;
                lines = _lines;
                snapshots = _snapshots;
                _lines = [];
                _snapshots = [];
            }

            var lineGroups = lines.GroupBy(l => OfflineStoreLayout.PartitionDate(l.OccurredAt))
                .Select(g => (Date: g.Key, Rows: g.OrderBy(l => l.OccurredAt.UtcTicks).ThenBy(l => l.LineId, StringComparer.Ordinal).ToList()))
                .OrderBy(g => g.Date).ToList();
            var snapshotGroups = snapshots.GroupBy(v => OfflineStoreLayout.PartitionDate(v.AsOf))
                .Select(g => (Date: g.Key, Rows: g.OrderBy(v => v.AsOf.UtcTicks).ThenBy(v => v.EntityKey, StringComparer.Ordinal).ToList()))
                .OrderBy(g => g.Date).ToList();

            var files = new List<string>();
            var lineGroupsDone = 0;
            var snapshotGroupsDone = 0;
            try
            {
                foreach (var (date, rows) in lineGroups)
                {
                    files.Add(await WriteFileAsync(OfflineStoreLayout.OrderLinesTable, date, s => OrderLineParquet.WriteAsync(s, rows, ct), ct));
                    lineGroupsDone++;
                }

                foreach (var (date, rows) in snapshotGroups)
                {
                    files.Add(await WriteFileAsync(OfflineStoreLayout.FeatureSnapshotsTable, date, s => FeatureSnapshotParquet.WriteAsync(s, Schema, rows, ct), ct));
                    snapshotGroupsDone++;
                }
            }
            catch
            {
                lock (_gate)
                {
                    _lines.InsertRange(0, lineGroups.Skip(lineGroupsDone).SelectMany(g => g.Rows));
                    _snapshots.InsertRange(0, snapshotGroups.Skip(snapshotGroupsDone).SelectMany(g => g.Rows));
                }

                throw;
            }

            return new OfflineFlushResult(lines.Count, snapshots.Count, files);
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>Flushes what is still buffered.</summary>
    public async ValueTask DisposeAsync()
    {
        await FlushAsync();
        _flushLock.Dispose();
    }

    private async Task<string> WriteFileAsync(string table, DateOnly date, Func<Stream, Task> write, CancellationToken ct)
    {
        var directory = OfflineStoreLayout.PartitionDirectory(RootDirectory, table, date);
        var path = Path.Combine(directory, OfflineStoreLayout.NewPartFileName(_time.GetUtcNow()));
        await AtomicFile.WriteAsync(path, overwrite: false, write, BeforeCommit, ct);
        return path;
    }
}
