using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.OnlineStore;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>
/// Order lines as ingestion writes them to orders.validated (keyed by SKU, in event-time order per SKU, with the odd
/// line re-sent as ingestion may after a crash), and the ground truth a feature store must arrive at.
/// </summary>
public sealed class ValidatedLineStream
{
    private readonly List<OrderLineValidated> _lines = [];

    private ValidatedLineStream(IEnumerable<OrderLineValidated> lines) => _lines.AddRange(lines);

    public ValidatedLineStream(int seed, int lines, int skus = 150)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromDays(2) / lines;
        for (var i = 0; i < lines; i++)
        {
            var sku = $"S{random.Next(skus):D4}";
            var cancellation = random.NextDouble() < 0.05;
            var line = new OrderLineValidated
            {
                LineId = $"O{seed}-{i}:1",
                OrderId = $"O{seed}-{i}",
                LineNumber = 1,
                LineCount = 1,
                Kind = cancellation ? OrderLineKinds.Cancellation : OrderLineKinds.Sale,
                Sku = sku,
                Category = $"cat{sku.GetHashCode(StringComparison.Ordinal) & 7}",
                Quantity = cancellation ? -random.Next(1, 3) : random.Next(1, 6),
                UnitPrice = 2.5m + random.Next(0, 400) / 100m,
                Currency = "EUR",
                Region = $"r{random.Next(4)}",
                Channel = "web",
                CustomerHash = $"c{random.Next(2000)}",
                OccurredAt = start + step * i,
                IngestedAt = start + step * i,
            };
            _lines.Add(line);
            // A re-sent line (same line_id) right behind its original: it must count once.
            if (random.NextDouble() < 0.02)
            {
                _lines.Add(line);
                Resent++;
            }
        }

        foreach (var line in _lines.DistinctBy(l => l.LineId))
        {
            NetQuantityBySku[line.Sku] = NetQuantityBySku.GetValueOrDefault(line.Sku) + line.Quantity;
            var region = $"{line.Sku}:{line.Region}";
            NetQuantityBySkuRegion[region] = NetQuantityBySkuRegion.GetValueOrDefault(region) + line.Quantity;
        }
    }

    public IReadOnlyList<OrderLineValidated> Lines => _lines;

    /// <summary>A stream of one line, outside any ground truth.</summary>
    public static ValidatedLineStream LateLine(OrderLineValidated line) => new([line]);

    public int Resent { get; }

    public Dictionary<string, long> NetQuantityBySku { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> NetQuantityBySkuRegion { get; } = new(StringComparer.Ordinal);

    /// <summary>Publishes lines [from, to) and returns the next offset per partition after them.</summary>
    public Dictionary<int, long> Publish(IProducer<byte[]?, byte[]?> producer, int from = 0, int? to = null)
    {
        var ends = new Dictionary<int, long>();
        foreach (var line in _lines.Skip(from).Take((to ?? _lines.Count) - from))
        {
            producer.Produce(Topics.OrdersValidated, new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(line.Sku),
                Value = JsonSerializer.SerializeToUtf8Bytes(line, ContractsJsonContext.Default.OrderLineValidated),
            }, report =>
            {
                lock (ends)
                {
                    ends[report.Partition.Value] = Math.Max(ends.GetValueOrDefault(report.Partition.Value), report.Offset.Value + 1);
                }
            });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        return ends;
    }

    /// <summary>Waits until the stored state of every partition has reached <paramref name="ends"/>.</summary>
    public static async Task WaitForStateAsync(IFeatureStateStore store, string group, IReadOnlyDictionary<int, long> ends, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var behind = new List<string>();
            foreach (var (partition, end) in ends)
            {
                var state = await store.LoadPartitionAsync(group, Topics.OrdersValidated, partition);
                if ((state.NextOffset ?? 0) < end)
                {
                    behind.Add($"[{partition}] {state.NextOffset}/{end}");
                }
            }

            if (behind.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"feature state behind: {string.Join(", ", behind)}");
            }

            await Task.Delay(200);
        }
    }

    public static Dictionary<int, long> Merge(params Dictionary<int, long>[] parts)
    {
        var merged = new Dictionary<int, long>();
        foreach (var (partition, end) in parts.SelectMany(p => p))
        {
            merged[partition] = Math.Max(merged.GetValueOrDefault(partition), end);
        }

        return merged;
    }
}
