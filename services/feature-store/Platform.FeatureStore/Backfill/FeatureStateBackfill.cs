using System.Threading.Channels;
using Platform.Contracts;
using Platform.Features;
using Platform.Kafka;
using Platform.OnlineStore;

namespace Platform.FeatureStore.Backfill;

/// <summary>
/// Builds the SKU stream's state from order history outside Kafka and stores it as the stream's starting point, as a
/// materialisation from the offline store would: per partition of orders.validated, the aggregator the stream itself
/// runs applies the history's lines, then the entities' state, feature rows and demand windows are committed at offset
/// <see cref="StartOffset"/>. When the stream then consumes orders.validated from that offset, its windows continue the
/// history instead of starting from zeros, so forecasts and demand judgements work from the first hour.
/// </summary>
/// <remarks>
/// Lines go to the partition that orders.validated's records of their SKU come from (<see cref="KafkaKeyPartitioner"/>),
/// since each partition's state is its own. History must be in event-time order within each SKU's partition and end
/// before the live stream starts; a line behind its partition's watermark is counted late and left out, as the stream
/// would. Partitions are aggregated on <see cref="Settings.Workers"/> threads.
/// </remarks>
public sealed class FeatureStateBackfill(IFeatureStateStore store, FeatureSchema schema, FeatureStateBackfill.Settings settings)
{
    /// <param name="ConsumerGroup">FeatureStore:ConsumerGroup of the stream that will continue from the backfill.</param>
    /// <param name="Partitions">Partitions of orders.validated.</param>
    /// <param name="DemandWindowHours">FeatureStore:DemandWindowHours (0 writes no windows).</param>
    /// <param name="StartOffset">Offset of orders.validated the stream continues from in every partition.</param>
    public sealed record Settings(string ConsumerGroup, int Partitions, int DemandWindowHours = FeatureStoreOptions.DefaultDemandWindowHours, long StartOffset = 0)
    {
        public int Workers { get; init; } = Math.Max(1, Math.Min(Environment.ProcessorCount, 4));
    }

    public sealed record Result(long LinesApplied, long LinesLate, long LinesDuplicate, int Entities, int Windows);

    private const int ChunkSize = 2048;

    public async Task<Result> RunAsync(IEnumerable<OrderLineValidated> history, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Partitions, 1);
        var workers = Math.Min(settings.Workers, settings.Partitions);
        var aggregators = Enumerable.Range(0, settings.Partitions).Select(_ => new PartitionFeatureAggregator(schema, EntityScope.Sku)).ToArray();
        var channels = Enumerable.Range(0, workers)
            .Select(_ => Channel.CreateBounded<List<(int Partition, OrderLineValidated Line)>>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true }))
            .ToArray();

        // Each worker owns the partitions p with p % workers == its index, so every aggregator sees its lines in order on one thread.
        var running = channels.Select(channel => Task.Run(async () =>
        {
            await foreach (var chunk in channel.Reader.ReadAllAsync(ct))
            {
                foreach (var (partition, line) in chunk)
                {
                    aggregators[partition].Apply(line);
                }
            }
        }, ct)).ToArray();

        try
        {
            var pending = new List<(int, OrderLineValidated)>[workers];
            for (var w = 0; w < workers; w++) pending[w] = new List<(int, OrderLineValidated)>(ChunkSize);
            foreach (var line in history)
            {
                var partition = KafkaKeyPartitioner.PartitionOf(line.Sku, settings.Partitions);
                var worker = partition % workers;
                pending[worker].Add((partition, line));
                if (pending[worker].Count == ChunkSize)
                {
                    await channels[worker].Writer.WriteAsync(pending[worker], ct);
                    pending[worker] = new List<(int, OrderLineValidated)>(ChunkSize);
                }
            }

            for (var w = 0; w < workers; w++)
            {
                if (pending[w].Count > 0) await channels[w].Writer.WriteAsync(pending[w], ct);
            }
        }
        finally
        {
            foreach (var channel in channels) channel.Writer.TryComplete();
        }

        await Task.WhenAll(running);

        int entities = 0, windows = 0;
        for (var p = 0; p < aggregators.Length; p++)
        {
            var (entityCount, windowCount) = await CommitAsync(p, aggregators[p], ct);
            entities += entityCount;
            windows += windowCount;
        }

        return new Result(aggregators.Sum(a => a.AppliedCount), aggregators.Sum(a => a.LateCount), aggregators.Sum(a => a.DuplicateCount), entities, windows);
    }

    private async Task<(int Entities, int Windows)> CommitAsync(int partition, PartitionFeatureAggregator aggregator, CancellationToken ct)
    {
        var keys = aggregator.DrainChanged();
        var asOf = aggregator.MaxEventTime ?? DateTimeOffset.UnixEpoch;
        var rows = new List<FeatureRow>(keys.Count);
        var states = new Dictionary<string, byte[]>(keys.Count, StringComparer.Ordinal);
        var windows = new List<DemandWindow>();
        var values = new double[schema.Count];
        foreach (var key in keys)
        {
            rows.Add(EntityOutputs.Row(aggregator, schema, key, asOf, values));
            if (aggregator.SnapshotEntity(key) is { } state) states[key] = state;
            if (settings.DemandWindowHours > 0 && aggregator.Watermark is { } watermark && key.StartsWith("sku:", StringComparison.Ordinal))
            {
                windows.Add(EntityOutputs.Window(aggregator, key, settings.DemandWindowHours, watermark));
            }
        }

        // ExpectedNextOffset null: the backfill is the partition's first state; a stream that already stored one wins (the commit is refused).
        await store.CommitAsync(new PartitionCommit(settings.ConsumerGroup, Topics.OrdersValidated, partition, null, settings.StartOffset, aggregator.SnapshotPartition())
        {
            UpsertEntities = states,
            Features = rows,
            DemandWindows = windows,
        }, ct);
        return (keys.Count, windows.Count);
    }
}
