using Platform.Contracts;
using Platform.Features;

namespace Platform.OfflineStore;

/// <summary>The entities a training table has rows for.</summary>
public enum TrainingEntity
{
    /// <summary>"sku:{sku}".</summary>
    Sku,

    /// <summary>"sku_region:{sku}:{region}".</summary>
    SkuRegion,
}

/// <summary>What to export: label times From, From + Every, … up to To (both inclusive), for every entity.</summary>
public sealed record TrainingSetOptions
{
    /// <summary>Most label times one export accepts (ten years of minutes); guards against a mistyped --every.</summary>
    public const long MaxLabelPoints = 5_000_000;

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public TimeSpan Every { get; init; } = TimeSpan.FromHours(1);

    public TrainingEntity Entity { get; init; } = TrainingEntity.Sku;

    /// <summary>The number of label times; throws <see cref="ArgumentException"/> when the options make no sense.</summary>
    public int CountLabelPoints()
    {
        if (Every <= TimeSpan.Zero) throw new ArgumentException("Every must be positive.");
        if (To < From) throw new ArgumentException($"To ({To:O}) is before From ({From:O}).");
        var count = (To.UtcTicks - From.UtcTicks) / Every.Ticks + 1;
        if (count > MaxLabelPoints) throw new ArgumentException($"{count:N0} label times; at most {MaxLabelPoints:N0} (raise Every or shorten the range).");
        return (int)count;
    }
}

/// <summary>What an export read and wrote.</summary>
public sealed record TrainingSetSummary
{
    /// <summary>Rows written (entity × label time, for entities seen by that time).</summary>
    public long Rows { get; init; }

    /// <summary>Distinct entities with at least one row.</summary>
    public int Entities { get; init; }

    public int LabelPoints { get; init; }

    /// <summary>Distinct order lines read (duplicates excluded).</summary>
    public long LinesRead { get; init; }

    /// <summary>Replayed copies of lines that were dropped.</summary>
    public long DuplicatesDropped { get; init; }

    public int PartitionsRead { get; init; }

    public int FilesRead { get; init; }

    public DateTimeOffset? FirstEventAt { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>
    /// True when the store has no data beyond the last label time + 24 h: the last label times' targets may be
    /// missing demand that simply has not been recorded yet.
    /// </summary>
    public bool TargetsIncomplete { get; init; }

    /// <summary>Whether a file was written (not when there were no rows).</summary>
    public bool OutputWritten { get; init; }
}

/// <summary>
/// Builds a point-in-time-correct training table from the offline store: one row per entity and label time t, with
/// the entity's feature vector as of t from exactly the lines with event time at or before t (the
/// <see cref="OfflineFeatureBuilder"/> contract: <see cref="PartitionFeatureAggregator"/> fed in (event time, line id)
/// order), and the targets: net units of the entity with event time in (t, t + 1 h] and (t, t + 24 h].
/// </summary>
/// <remarks>
/// <para>It is <see cref="OfflineFeatureBuilder.Build"/>'s replay loop in streaming form: one aggregator replays the
/// whole history once, a label time is computed as soon as the lines up to it are applied, and each row goes straight
/// to the output. Build itself holds every line and every vector in memory (entities × label times: 4,000 SKUs
/// hourly for nine months is 26 million vectors), so it is not used for the export; tests check that the two agree.</para>
/// <para>Memory: one day partition being read, the lines of the next 24 hours (the target window), the aggregator's
/// per-entity state and one Parquet row group. Features need the full history (the EWMA starts at an entity's first
/// hour), so every partition up to To + 1 day is read; nothing after it.</para>
/// <para>An entity gets rows from its first line on: including it earlier would leak that it is about to sell.</para>
/// </remarks>
public sealed class TrainingSetExporter
{
    public const string EntityKeyColumn = "entity_key";
    public const string AsOfColumn = "as_of";
    public const string SchemaHashColumn = "schema_hash";
    public const string Target1HColumn = "target_qty_next_1h";
    public const string Target24HColumn = "target_qty_next_24h";

    private static readonly long Hour = TimeSpan.TicksPerHour;
    private static readonly long Day = TimeSpan.TicksPerDay;

    private readonly OfflineStoreReader _reader;

    public TrainingSetExporter(OfflineStoreReader reader, FeatureSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        Schema = schema ?? FeatureSchema.Default;
    }

    public FeatureSchema Schema { get; }

    /// <summary>The output's columns in order.</summary>
    public IReadOnlyList<string> Columns => [EntityKeyColumn, AsOfColumn, SchemaHashColumn, .. Schema.Names, Target1HColumn, Target24HColumn];

    /// <summary>
    /// Writes the table to <paramref name="outputPath"/>: CSV when the name ends in ".csv", Parquet otherwise. The
    /// file is written under a temporary name and renamed (replacing an existing one); with no rows nothing is written.
    /// </summary>
    public async Task<TrainingSetSummary> ExportAsync(TrainingSetOptions options, string outputPath, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        options.CountLabelPoints();
        var csv = outputPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        TrainingSetSummary? summary = null;
        try
        {
            await AtomicFile.WriteAsync(outputPath, overwrite: true, async stream =>
            {
                await using var sink = csv
                    ? new CsvTrainingTableSink(stream, Columns, Schema.Hash)
                    : (ITrainingTableSink)await ParquetTrainingTableSink.CreateAsync(stream, Schema.Names, Target1HColumn, Target24HColumn, Schema.Hash, ct);
                summary = await WriteAsync(options, sink, ct);
                if (summary.Rows == 0) throw new NoRowsException();
            }, beforeCommit: null, ct);
        }
        catch (NoRowsException)
        {
            return summary! with { OutputWritten = false };
        }

        return summary! with { OutputWritten = true };
    }

    internal async Task<TrainingSetSummary> WriteAsync(TrainingSetOptions options, ITrainingTableSink sink, CancellationToken ct)
    {
        var labelPoints = options.CountLabelPoints();
        var lastLabel = options.From.UtcTicks + (labelPoints - 1) * options.Every.Ticks;
        var horizon = lastLabel + Day;
        var lastDate = DateOnly.FromDateTime(new DateTime(horizon, DateTimeKind.Utc));
        var replay = new Replay(Schema, options, sink, labelPoints);
        int partitions = 0, files = 0;
        long duplicates = 0;
        long? first = null, last = null;
        var beyondHorizon = false;

        await foreach (var day in _reader.ReadOrderLineDaysAsync(DateOnly.MinValue, lastDate, ct))
        {
            partitions++;
            files += day.FilesRead;
            duplicates += day.DuplicatesDropped;
            foreach (var line in day.Lines)
            {
                var ticks = line.OccurredAt.UtcTicks;
                if (ticks > horizon)
                {
                    beyondHorizon = true;
                    break;
                }

                first ??= ticks;
                last = ticks;
                await replay.AddAsync(line, ct);
            }
        }

        await replay.FinishAsync(ct);
        await sink.CompleteAsync(ct);
        var moreData = _reader.OrderLineDates() is { Count: > 0 } dates && dates[^1] > lastDate;
        return new TrainingSetSummary
        {
            Rows = replay.Rows,
            Entities = replay.EntitiesWithRows,
            LabelPoints = labelPoints,
            LinesRead = replay.LinesRead,
            DuplicatesDropped = duplicates,
            PartitionsRead = partitions,
            FilesRead = files,
            FirstEventAt = first is null ? null : new DateTimeOffset(first.Value, TimeSpan.Zero),
            LastEventAt = last is null ? null : new DateTimeOffset(last.Value, TimeSpan.Zero),
            TargetsIncomplete = !moreData && !beyondHorizon,
        };
    }

    private sealed class NoRowsException : Exception;

    /// <summary>Per-entity running state of the export.</summary>
    private sealed class EntityRow(string key)
    {
        public readonly string Key = key;
        public long Next1H;
        public long Next24H;
        public bool Seen;
    }

    /// <summary>
    /// The streaming replay. Lines arrive in (event time, line id) order. A line with event time at or before the next
    /// label time, when nothing is queued, goes straight to the aggregator; any other line waits in the queue, which
    /// holds the target window. Label time t is emitted once a line after t + 24 h arrives (or the input ends): then
    /// the queue holds every line in (t_prev, t + 24 h]; those up to t are applied (and leave the target sums), and the
    /// sums of what is left over (t, t + 1 h] and (t, t + 24 h] are the targets.
    /// </summary>
    private sealed class Replay
    {
        private readonly PartitionFeatureAggregator _aggregator;
        private readonly TrainingSetOptions _options;
        private readonly ITrainingTableSink _sink;
        private readonly int _labelPoints;
        private readonly Dictionary<(string Sku, string Region), EntityRow> _entities = [];
        private readonly List<EntityRow> _seen = [];
        private readonly List<(OrderLineValidated Line, EntityRow Entity)> _queue = [];
        private readonly double[] _values;
        private int _head;
        private int _mid;
        private int _emitted;
        private bool _seenSorted = true;

        public Replay(FeatureSchema schema, TrainingSetOptions options, ITrainingTableSink sink, int labelPoints)
        {
            _aggregator = new PartitionFeatureAggregator(schema);
            _options = options;
            _sink = sink;
            _labelPoints = labelPoints;
            _values = new double[schema.Count];
        }

        public long Rows { get; private set; }

        public long LinesRead { get; private set; }

        public int EntitiesWithRows { get; private set; }

        private long NextLabel => _options.From.UtcTicks + _emitted * _options.Every.Ticks;

        public async ValueTask AddAsync(OrderLineValidated line, CancellationToken ct)
        {
            LinesRead++;
            var ticks = line.OccurredAt.UtcTicks;
            while (_emitted < _labelPoints && NextLabel + Day < ticks)
            {
                await EmitAsync(ct);
            }

            var entity = EntityOf(line);
            if (_emitted == _labelPoints || (ticks <= NextLabel && _head == _queue.Count))
            {
                // Before the next label time and nothing waiting: no target window can contain it.
                ApplyLine(line, entity);
                return;
            }

            _queue.Add((line, entity));
            entity.Next24H += line.Quantity;
        }

        public async ValueTask FinishAsync(CancellationToken ct)
        {
            while (_emitted < _labelPoints) await EmitAsync(ct);
        }

        private async ValueTask EmitAsync(CancellationToken ct)
        {
            var t = NextLabel;
            while (_mid < _queue.Count && _queue[_mid].Line.OccurredAt.UtcTicks <= t + Hour)
            {
                var (line, entity) = _queue[_mid++];
                entity.Next1H += line.Quantity;
            }

            while (_head < _queue.Count && _queue[_head].Line.OccurredAt.UtcTicks <= t)
            {
                var (line, entity) = _queue[_head];
                _queue[_head++] = default;
                entity.Next24H -= line.Quantity;
                entity.Next1H -= line.Quantity;
                ApplyLine(line, entity);
            }

            if (_head > 4096 && _head * 2 > _queue.Count)
            {
                _queue.RemoveRange(0, _head);
                _mid -= _head;
                _head = 0;
            }

            if (!_seenSorted)
            {
                _seen.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                _seenSorted = true;
            }

            var asOf = new DateTimeOffset(t, TimeSpan.Zero);
            foreach (var entity in _seen)
            {
                _aggregator.Compute(entity.Key, asOf, _values);
                await _sink.WriteRowAsync(entity.Key, asOf, _values, entity.Next1H, entity.Next24H, ct);
            }

            Rows += _seen.Count;
            _emitted++;

            // Keeps idle entities' state folded and pruned; vectors do not depend on when folds happen.
            if ((_emitted & 63) == 0) _aggregator.FoldAll();
        }

        private void ApplyLine(OrderLineValidated line, EntityRow entity)
        {
            _aggregator.Apply(line);
            if (!entity.Seen)
            {
                entity.Seen = true;
                _seen.Add(entity);
                _seenSorted = false;
                EntitiesWithRows = _seen.Count;
            }
        }

        private EntityRow EntityOf(OrderLineValidated line)
        {
            var key = _options.Entity == TrainingEntity.SkuRegion ? (line.Sku, line.Region) : (line.Sku, "");
            if (!_entities.TryGetValue(key, out var entity))
            {
                entity = new EntityRow(_options.Entity == TrainingEntity.SkuRegion ? EntityKeys.SkuRegion(line.Sku, line.Region) : EntityKeys.Sku(line.Sku));
                _entities.Add(key, entity);
            }

            return entity;
        }
    }
}
