using BenchmarkDotNet.Attributes;
using Platform.Contracts;
using Platform.Features;

namespace Platform.Benchmarks;

/// <summary>
/// The feature hot path of one partition: <see cref="PartitionFeatureAggregator.Apply"/> of realistic lines (1,000
/// SKUs with Zipf-like popularity, 6 regions, 12 categories, so three entity updates per line, bounded disorder),
/// and <see cref="PartitionFeatureAggregator.Compute(string, DateTimeOffset, Span{double})"/> of changed entities.
/// Mean is per line (Apply) or per entity vector (Compute).
/// </summary>
[MemoryDiagnoser]
public class FeatureAggregationBenchmarks
{
    private const int LineCount = 300_000;
    private const int ComputeBatch = 1024;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private readonly double[] _values = new double[FeatureSchema.Default.Count];
    private OrderLineValidated[] _lines = [];
    private PartitionFeatureAggregator _aggregator = null!;
    private string[] _changed = [];
    private DateTimeOffset _asOf;

    [GlobalSetup]
    public void Setup()
    {
        // Ten simulated days at 1,250 lines per hour: past the 8-day retention, so pruning is part of the cost.
        _lines = MakeLines(LineCount, TimeSpan.FromDays(10));
        _aggregator = new PartitionFeatureAggregator();
        for (var i = 0; i < LineCount - 2_000; i++) _aggregator.Apply(_lines[i]);
        _aggregator.DrainChanged();

        // The entities changed by the last 2,000 lines, as one flush interval would see them.
        for (var i = LineCount - 2_000; i < LineCount; i++) _aggregator.Apply(_lines[i]);
        _changed = [.. _aggregator.DrainChanged()];
        _asOf = _aggregator.Watermark!.Value;
    }

    /// <summary>One operation = one line (three entity updates), into a fresh aggregator: 6,000+ entities created on the way.</summary>
    [Benchmark(OperationsPerInvoke = LineCount)]
    public int Apply()
    {
        var aggregator = new PartitionFeatureAggregator();
        var applied = 0;
        foreach (var line in _lines)
        {
            if (aggregator.Apply(line) <= ApplyResult.Skewed) applied++;
        }

        return applied;
    }

    /// <summary>One operation = the vector of one changed entity as of the watermark.</summary>
    [Benchmark(OperationsPerInvoke = ComputeBatch)]
    public double ComputeChanged()
    {
        var sum = 0.0;
        for (var i = 0; i < ComputeBatch; i++)
        {
            _aggregator.Compute(_changed[i % _changed.Length], _asOf, _values);
            sum += _values[1];
        }

        return sum;
    }

    private static OrderLineValidated[] MakeLines(int count, TimeSpan span)
    {
        var random = new Random(17);
        var regions = new[] { "eu-west", "eu-north", "eu-south", "uk", "us-east", "us-west" };
        var categories = new[] { "home-decor", "kitchen", "stationery", "toys", "party", "christmas", "bags", "candles", "garden", "textiles", "jewellery", "furniture" };
        var skus = Enumerable.Range(0, 1000).Select(i => (10000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var weights = Enumerable.Range(1, skus.Length).Select(r => 1.0 / Math.Pow(r + 4, 1.25)).ToArray();
        var cumulative = new double[weights.Length];
        var total = 0.0;
        for (var i = 0; i < weights.Length; i++) cumulative[i] = total += weights[i];
        var customers = Enumerable.Range(0, 20_000).Select(i => Convert.ToHexStringLower(BitConverter.GetBytes((long)i * 0x1E3779B97F4A7C15L)) + "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718").ToArray();

        var lines = new (OrderLineValidated Line, long Arrival)[count];
        for (var i = 0; i < count; i++)
        {
            var at = Start.AddTicks(span.Ticks * i / count);
            var s = Array.BinarySearch(cumulative, random.NextDouble() * total);
            var sku = s < 0 ? ~s : s;
            var cancellation = random.Next(33) == 0;
            var quantity = random.Next(1, 6);
            lines[i] = (new OrderLineValidated
            {
                LineId = $"ord-{i / 8}:{i % 8 + 1}",
                OrderId = $"ord-{i / 8}",
                LineNumber = i % 8 + 1,
                LineCount = 8,
                Kind = cancellation ? OrderLineKinds.Cancellation : OrderLineKinds.Sale,
                Sku = skus[sku],
                Category = categories[sku % categories.Length],
                Quantity = cancellation ? -quantity : quantity,
                UnitPrice = 0.85m + sku % 50 * 0.5m,
                Currency = "EUR",
                Region = regions[random.Next(regions.Length)],
                Channel = "web",
                CustomerHash = random.Next(8) == 0 ? null : customers[random.Next(customers.Length)],
                PromotionId = random.Next(10) == 0 ? "BLACKFRIDAY26" : null,
                OccurredAt = at,
                IngestedAt = at,
            }, at.UtcTicks + random.NextInt64(TimeSpan.FromMinutes(5).Ticks));
        }

        // Arrival order: each line delayed by up to 5 minutes, within the 10-minute grace.
        return lines.OrderBy(x => x.Arrival).Select(x => x.Line).ToArray();
    }
}
