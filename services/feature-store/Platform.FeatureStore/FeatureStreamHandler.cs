using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.Features;
using Platform.Kafka;
using Platform.OfflineStore;
using Platform.OnlineStore;

namespace Platform.FeatureStore;

/// <summary>
/// Streams order lines into per-partition feature state, the online store and features.updated. One instance runs the
/// SKU stream (orders.validated, keyed by SKU: SKU and SKU × region entities) and another the category stream
/// (features.category-lines, re-keyed by category by the SKU stream).
/// </summary>
/// <remarks>
/// <para>Exactly-once: each batch is one flush. Per partition, the new feature rows, the changed entity states and the
/// next offset to consume are committed in one atomic, compare-and-set write (<see cref="IFeatureStateStore"/>). After a
/// crash or rebalance the partition's state is reloaded and records below the stored offset are skipped, so a
/// redelivered line is never counted twice, whatever Kafka's committed offset says.</para>
/// <para>Order of effects: side-topic records (late lines, category re-keying) are produced and acknowledged before the
/// state commit, so a crash can only repeat them, and the consumer host's output recovery drops such repeats.
/// features.updated notices are hints (the online store is the truth): coalesced per entity per flush, at least once.</para>
/// </remarks>
public sealed class FeatureStreamHandler(
    FeatureStreamHandler.Settings settings,
    FeatureSchema schema,
    IFeatureStateStore store,
    FeatureStoreMetrics metrics,
    ILogger<FeatureStreamHandler> logger,
    OfflineStoreWriter? snapshots = null) : IPartitionAwareBatchHandler
{
    public const string SkuStream = "sku";
    public const string CategoryStream = "category";

    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<TopicPartition, PartitionWork> _partitions = [];
    private readonly NoticeTraceContexts _traces = new();
    private long _lastSnapshotFlush = Stopwatch.GetTimestamp();

    /// <param name="Stream">"sku" or "category", for logs and metrics.</param>
    /// <param name="ConsumerGroup">Group whose partitions' state this handler owns (the key of the stored state).</param>
    /// <param name="Scope">Entities this stream maintains.</param>
    /// <param name="ForwardCategoryLines">Re-key applied lines with a category to features.category-lines.</param>
    /// <param name="DemandWindowHours">
    /// Complete hours of demand kept per SKU entity in the online store beside its features (a forecaster's lookback
    /// window, see <see cref="DemandWindow"/>); 0 writes none.
    /// </param>
    public sealed record Settings(string Stream, string ConsumerGroup, EntityScope Scope, bool ForwardCategoryLines, int DemandWindowHours = 0);

    /// <summary>Entities held by this handler's partitions.</summary>
    public int EntityCount => _partitions.Values.Sum(p => p.Aggregator.EntityCount);

    public void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions)
    {
        // Whatever this instance held for them before is stale: another instance may have advanced them meanwhile.
        Drop(partitions);
    }

    public void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions) => Drop(partitions);

    public async Task HandleAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> batch, OutputBatch output, CancellationToken ct)
    {
        try
        {
            await ApplyAndCommitAsync(batch, output, ct);
        }
        catch (Exception)
        {
            // The in-memory state may hold lines whose commit did not happen (or whose outcome is unknown): the retry
            // must start from the stored state, or it would see those lines as duplicates and never store them.
            Drop(batch.Select(r => r.TopicPartition).Distinct());
            throw;
        }
    }

    private async Task ApplyAndCommitAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> batch, OutputBatch output, CancellationToken ct)
    {
        var touched = new List<(PartitionWork Work, long NextOffset)>();
        _traces.Clear();
        foreach (var group in batch.GroupBy(r => r.TopicPartition))
        {
            var work = await GetOrLoadAsync(group.Key, ct);
            long? last = null;
            foreach (var record in group)
            {
                last = record.Offset.Value;
                if (work.NextOffset is { } next && record.Offset.Value < next)
                {
                    metrics.Line(settings.Stream, "already_applied");
                    continue;
                }

                Apply(work, record, output);
            }

            if (last is { } lastOffset && (work.NextOffset is null || lastOffset + 1 > work.NextOffset))
            {
                touched.Add((work, lastOffset + 1));
            }
        }

        if (touched.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var commits = touched.Select(t => (t.Work, t.NextOffset, Commit: BuildCommit(t.Work, t.NextOffset, output))).ToList();

        // Side-topic records first (see remarks), then the state.
        await output.WhenAcknowledgedAsync(AckTimeout);
        await Task.WhenAll(commits.Select(c => CommitAsync(c.Work, c.NextOffset, c.Commit, ct)));
        foreach (var (work, _) in touched)
        {
            metrics.EntitiesChanged(work.Aggregator.EntityCount - work.ReportedEntities);
            work.ReportedEntities = work.Aggregator.EntityCount;
        }

        metrics.Flushed(settings.Stream, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (snapshots is not null)
        {
            await SnapshotHourlyAsync(touched.Select(t => t.Work), snapshots, ct);
        }
    }

    /// <summary>
    /// Once the watermark enters a new hour, every entity's features as of the watermark (final: no line at or before it
    /// can still arrive) go to the offline store, for monitoring and debugging. Training data does not depend on them:
    /// the export recomputes features from the order lines, so snapshots a crash loses can be rebuilt.
    /// </summary>
    private async Task SnapshotHourlyAsync(IEnumerable<PartitionWork> partitions, OfflineStoreWriter writer, CancellationToken ct)
    {
        foreach (var work in partitions)
        {
            if (work.Aggregator.Watermark is not { } watermark)
            {
                continue;
            }

            var hour = watermark.UtcTicks / TimeSpan.TicksPerHour;
            if (hour <= work.LastSnapshotHour)
            {
                continue;
            }

            work.LastSnapshotHour = hour;
            foreach (var key in work.Aggregator.EntityKeys.ToList())
            {
                writer.AppendSnapshot(work.Aggregator.Compute(key, watermark));
            }
        }

        if (writer.BufferedSnapshots >= 100_000 || (writer.BufferedSnapshots > 0 && Stopwatch.GetElapsedTime(_lastSnapshotFlush) > TimeSpan.FromMinutes(1)))
        {
            await writer.FlushAsync(ct);
            _lastSnapshotFlush = Stopwatch.GetTimestamp();
        }
    }

    private void Apply(PartitionWork work, ConsumeResult<byte[]?, byte[]?> record, OutputBatch output)
    {
        // The line's process span: what it produces here (late or category records) continues the order's trace.
        using var activity = KafkaTracing.StartProcess(record);
        OrderLineValidated line;
        try
        {
            line = JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.OrderLineValidated)
                ?? throw new JsonException("null line");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentNullException)
        {
            // Ingestion only writes valid lines; one that cannot be read goes aside rather than block the partition.
            metrics.Line(settings.Stream, "unreadable");
            logger.LogError(ex, "Unreadable order line at {Topic}[{Partition}]@{Offset}; sent to {Side}", record.Topic, record.Partition.Value, record.Offset.Value, Topics.OrdersLate);
            output.DeadLetter(record, Topics.OrdersLate, "unreadable_line", ex);
            return;
        }

        var watermark = work.Aggregator.Watermark;
        var result = work.Aggregator.Apply(line);
        switch (result)
        {
            case ApplyResult.Late:
                metrics.Line(settings.Stream, "late");
                var headers = new Headers
                {
                    { "late.watermark", Encoding.UTF8.GetBytes(watermark?.ToString("O", CultureInfo.InvariantCulture) ?? "") },
                    { "late.stream", Encoding.UTF8.GetBytes(settings.Stream) },
                };
                output.Produce(record, Topics.OrdersLate, record.Message.Key, record.Message.Value,
                    MergeHeaders(OutputBatch.DeadLetterHeadersFor("late", record.Topic, record.Partition.Value, record.Offset.Value, null), headers));
                logger.LogDebug("Late line {LineId} at {OccurredAt} behind watermark {Watermark}", line.LineId, line.OccurredAt, watermark);
                return;
            case ApplyResult.Duplicate:
                metrics.Line(settings.Stream, "duplicate");
                return;
            case ApplyResult.Skewed:
                metrics.Line(settings.Stream, "skewed");
                break;
            default:
                metrics.Line(settings.Stream, "applied");
                break;
        }

        // The entities' notices of this flush continue the line's trace (see NoticeTraceContexts).
        _traces.Add(line, settings.Scope, activity?.Context ?? KafkaTracing.Extract(record.Message.Headers));

        if (settings.ForwardCategoryLines && line.Category is { Length: > 0 } category)
        {
            output.Produce(record, Topics.FeatureCategoryLines, Encoding.UTF8.GetBytes(category), record.Message.Value);
        }
    }

    private PartitionCommit BuildCommit(PartitionWork work, long nextOffset, OutputBatch output)
    {
        var aggregator = work.Aggregator;
        var changed = aggregator.DrainChanged();
        var asOf = aggregator.MaxEventTime ?? DateTimeOffset.UnixEpoch;
        var rows = new List<FeatureRow>(changed.Count);
        var states = new Dictionary<string, byte[]>(changed.Count, StringComparer.Ordinal);
        var notices = 0;
        var values = new double[schema.Count];
        foreach (var key in changed)
        {
            rows.Add(EntityOutputs.Row(aggregator, schema, key, asOf, values));
            if (aggregator.SnapshotEntity(key) is { } state)
            {
                states[key] = state;
            }

            var changedNames = ChangedNames(work, key, values);
            if (changedNames.Count > 0)
            {
                var notice = new FeaturesUpdated
                {
                    EntityType = EntityKeys.TypeOf(key),
                    EntityKey = key,
                    AsOf = aggregator.Watermark ?? asOf,
                    Changed = changedNames,
                    FeatureSchemaHash = schema.Hash,
                };
                using var span = _traces.StartNotice(key, out var headers);
                output.Produce(Topics.FeaturesUpdated, Encoding.UTF8.GetBytes(key), JsonSerializer.SerializeToUtf8Bytes(notice, ContractsJsonContext.Default.FeaturesUpdated), headers);
                notices++;
            }
        }

        metrics.NoticesPublished(settings.Stream, notices);
        return new PartitionCommit(settings.ConsumerGroup, work.Partition.Topic, work.Partition.Partition.Value, work.NextOffset, nextOffset, aggregator.SnapshotPartition())
        {
            UpsertEntities = states,
            Features = rows,
            DemandWindows = settings.DemandWindowHours > 0 ? DemandWindows(work, changed) : [],
        };
    }

    /// <summary>
    /// The SKU entities' demand windows to store with this flush. A window holds only hours before the watermark's hour,
    /// and an applied line is always after the watermark, so a window changes only when the watermark enters a new hour:
    /// then every SKU entity of the partition gets its window rewritten (idle ones too, so a SKU that stopped selling
    /// shows its empty hours). Between those moments only entities without a window for the current hour get one.
    /// </summary>
    private List<DemandWindow> DemandWindows(PartitionWork work, IReadOnlyList<string> changed)
    {
        var aggregator = work.Aggregator;
        var windows = new List<DemandWindow>();
        if (aggregator.Watermark is not { } watermark)
        {
            return windows;
        }

        var hour = watermark.UtcTicks / TimeSpan.TicksPerHour;
        IEnumerable<string> keys;
        if (hour != work.WindowHour)
        {
            work.WindowHour = hour;
            work.WindowWritten.Clear();
            keys = aggregator.EntityKeys;
        }
        else
        {
            keys = changed;
        }

        var hours = settings.DemandWindowHours;
        foreach (var key in keys)
        {
            if (!key.StartsWith("sku:", StringComparison.Ordinal) || !work.WindowWritten.Add(key))
            {
                continue;
            }

            windows.Add(EntityOutputs.Window(aggregator, key, hours, watermark));
        }

        return windows;
    }

    private static List<string> ChangedNames(PartitionWork work, string key, double[] values)
    {
        var changed = new List<string>();
        if (!work.LastPublished.TryGetValue(key, out var previous))
        {
            work.LastPublished[key] = previous = new double[values.Length];
            Array.Fill(previous, double.NaN);
            changed.Capacity = values.Length;
        }

        for (var i = 0; i < values.Length; i++)
        {
            // NaN (e.g. no price yet) equals NaN here: "still unknown" is not a change.
            if (!values[i].Equals(previous[i]))
            {
                changed.Add(work.Schema.Names[i]);
                previous[i] = values[i];
            }
        }

        return changed;
    }

    private async Task CommitAsync(PartitionWork work, long nextOffset, PartitionCommit commit, CancellationToken ct)
    {
        try
        {
            await store.CommitAsync(commit, ct);
            work.NextOffset = nextOffset;
        }
        catch (PartitionOwnershipLostException ex)
        {
            metrics.OwnershipConflict(settings.Stream);
            logger.LogWarning("Feature state of {Partition} was advanced by another instance (stored offset {Actual}, expected {Expected}); reloading",
                work.Partition, ex.ActualNextOffset, ex.ExpectedNextOffset);
            Drop([work.Partition]);
            throw;
        }
        catch (Exception)
        {
            // The outcome is unknown (the write may have landed): reload from the store before the batch is retried.
            Drop([work.Partition]);
            throw;
        }
    }

    private async Task<PartitionWork> GetOrLoadAsync(TopicPartition partition, CancellationToken ct)
    {
        if (_partitions.TryGetValue(partition, out var work))
        {
            return work;
        }

        var state = await store.LoadPartitionAsync(settings.ConsumerGroup, partition.Topic, partition.Partition.Value, ct);
        var aggregator = new PartitionFeatureAggregator(schema, settings.Scope);
        try
        {
            if (state.Blob is { } blob)
            {
                aggregator.RestorePartition(blob);
            }

            foreach (var (key, entity) in state.Entities)
            {
                aggregator.RestoreEntity(key, entity);
            }
        }
        catch (InvalidDataException ex)
        {
            // Written by another feature schema: these features cannot be continued, only rebuilt from history.
            logger.LogError(ex, "Stored feature state of {Partition} is from another schema; starting it empty (replay orders.validated to rebuild)", partition);
            aggregator = new PartitionFeatureAggregator(schema, settings.Scope);
        }

        work = new PartitionWork(partition, aggregator, schema) { NextOffset = state.NextOffset, ReportedEntities = aggregator.EntityCount };
        _partitions[partition] = work;
        metrics.EntitiesChanged(aggregator.EntityCount);
        logger.LogInformation("Feature state of {Partition} loaded: {Entities} entities, next offset {Offset}", partition, aggregator.EntityCount, state.NextOffset);
        return work;
    }

    private void Drop(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_partitions.Remove(partition, out var work))
            {
                metrics.EntitiesChanged(-work.ReportedEntities);
            }
        }
    }

    private static Headers MergeHeaders(Headers first, Headers second)
    {
        foreach (var header in second)
        {
            first.Add(header.Key, header.GetValueBytes());
        }

        return first;
    }

    private sealed class PartitionWork(TopicPartition partition, PartitionFeatureAggregator aggregator, FeatureSchema schema)
    {
        public TopicPartition Partition { get; } = partition;

        public PartitionFeatureAggregator Aggregator { get; } = aggregator;

        public FeatureSchema Schema { get; } = schema;

        /// <summary>Next offset of the last committed flush: records below it are already in the state.</summary>
        public long? NextOffset { get; set; }

        /// <summary>Hour (since 0001-01-01) of the watermark at the last offline snapshot; a restart snapshots again.</summary>
        public long LastSnapshotHour { get; set; } = long.MinValue;

        /// <summary>Hour (since 0001-01-01) of the watermark when every SKU entity's demand window was last written.</summary>
        public long WindowHour { get; set; } = long.MinValue;

        /// <summary>SKU entities whose demand window was written for <see cref="WindowHour"/>.</summary>
        public HashSet<string> WindowWritten { get; } = new(StringComparer.Ordinal);

        /// <summary>Entity count last added to the entities gauge.</summary>
        public int ReportedEntities { get; set; }

        /// <summary>Values last announced per entity, to name what changed in features.updated.</summary>
        public Dictionary<string, double[]> LastPublished { get; } = new(StringComparer.Ordinal);
    }
}
