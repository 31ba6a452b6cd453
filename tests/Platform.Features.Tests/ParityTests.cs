using System.Text.Json;
using Platform.Contracts;
using Platform.Simulator;

namespace Platform.Features.Tests;

/// <summary>
/// Online (arrival order, bounded disorder, redeliveries) against offline (history, point in time) over a simulated
/// stream of about ten days: every entity's vector must be the same at every checkpoint.
/// </summary>
public sealed class ParityTests
{
    [Fact]
    public void Online_WithBoundedDisorder_EqualsOffline_AtEveryCheckpoint()
    {
        var lines = SimulatedLines(out var orders);
        Assert.True(orders >= 10_000, $"only {orders} orders");

        // Redeliveries a few minutes later (in arrival order), as a consumer replay after a rebalance would give.
        var random = new Random(11);
        var redelivered = lines.Where(_ => random.Next(100) == 0).ToList();
        var arrivals = Lines.Disordered(lines.Concat(redelivered), TimeSpan.FromMinutes(9), seed: 5);

        var online = new PartitionFeatureAggregator();
        var checkpoints = Enumerable.Range(1, 6).Select(k => arrivals.Count * k / 7).ToHashSet();
        var points = new List<LabelPoint>();
        var expected = new List<FeatureVector>();
        for (var i = 0; i < arrivals.Count; i++)
        {
            var result = online.Apply(arrivals[i]);
            // Skewed: the first line after a quiet night hour is more than MaxFutureSkew ahead; it is applied all the same.
            Assert.True(result is ApplyResult.Applied or ApplyResult.Duplicate or ApplyResult.Skewed, $"line {i}: {result}");
            if (checkpoints.Contains(i)) Snap(online.Watermark!.Value);
        }

        Assert.Equal(redelivered.Count, online.DuplicateCount);
        Assert.Equal(0, online.LateCount);
        var end = online.MaxEventTime!.Value;
        Snap(end);
        Snap(end.AddDays(3).AddMinutes(17));

        var offline = new OfflineFeatureBuilder().Build(lines.Concat(redelivered).Reverse(), points);

        Assert.True(points.Count > 20_000, $"only {points.Count} points");
        for (var i = 0; i < points.Count; i++) VectorAssert.Equal(expected[i], offline[i]);

        // The comparison is not vacuous: the vectors carry demand, EWMA, customers and prices.
        var last = expected.Where(v => v.AsOf == end && v.EntityKey.StartsWith("category:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(last);
        Assert.All(last, v =>
        {
            Assert.True(v.Value("qty_7d") > 0);
            Assert.True(v.Value("ewma_mean_hourly") > 0);
            Assert.True(v.Value("distinct_customers_24h") > 0);
            Assert.False(double.IsNaN(v.Value("avg_price_7d")));
        });

        void Snap(DateTimeOffset asOf)
        {
            foreach (var key in online.EntityKeys.Order(StringComparer.Ordinal))
            {
                points.Add(new LabelPoint(key, asOf));
                expected.Add(online.Compute(key, asOf));
            }
        }
    }

    /// <summary>About ten simulated days, 50 orders per simulated hour, as validated lines.</summary>
    internal static List<OrderLineValidated> SimulatedLines(out int orders)
    {
        var simulator = new OrderSimulator(new SimulatorOptions { Seed = 3, MeanOrdersPerSecond = 50, TimeCompression = 3600 });
        var categories = simulator.Catalog.Items.ToDictionary(i => i.Sku, i => i.Category);
        var lines = new List<OrderLineValidated>();
        orders = 0;
        foreach (var e in simulator.Generate(TimeSpan.FromSeconds(10 * 24)))
        {
            if (e.Kind != SimulatedEventKind.Valid) continue;
            var order = JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!;
            orders++;
            var cancellation = order.EventType == OrderEventTypes.Cancelled;
            for (var i = 0; i < order.Lines.Count; i++)
            {
                var line = order.Lines[i];
                lines.Add(new OrderLineValidated
                {
                    LineId = $"{order.OrderId}:{i + 1}",
                    OrderId = order.OrderId,
                    LineNumber = i + 1,
                    LineCount = order.Lines.Count,
                    Kind = cancellation ? OrderLineKinds.Cancellation : OrderLineKinds.Sale,
                    CancelsOrderId = order.CancelsOrderId,
                    Sku = line.Sku,
                    Category = line.Category ?? categories.GetValueOrDefault(line.Sku),
                    Quantity = cancellation ? -line.Quantity : line.Quantity,
                    UnitPrice = line.UnitPrice,
                    Currency = order.Currency,
                    Region = order.Region?.ToLowerInvariant() ?? "unknown",
                    Channel = order.Channel?.ToLowerInvariant() ?? "unknown",
                    CustomerHash = order.CustomerId,
                    PromotionId = line.PromotionId,
                    OccurredAt = order.OccurredAt.ToUniversalTime(),
                    IngestedAt = order.OccurredAt.ToUniversalTime(),
                });
            }
        }

        return lines;
    }
}
