using System.Text;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.Inference.Pipeline;

namespace Platform.Inference.Tests;

public sealed class OrderRiskMonitorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OrderRisk_PriceAHundredTimesTheUsual_RaisesOneOrderRiskAlert_OnTheLastLineOfTheOrder()
    {
        var monitor = new OrderRiskMonitor(new AnomalyOptions());
        var offset = 0L;
        var warmup = Enumerable.Range(0, 40).Select(i => Line(ref offset, $"o{i}", "SKU1", 2, 9.99m + i % 3 * 0.01m, T0.AddMinutes(i), $"c{i}")).ToList();
        Assert.Empty(monitor.Observe(warmup, T0, _ => null));

        var order = new[]
        {
            Line(ref offset, "bad", "SKU2", 1, 4m, T0.AddHours(1), "c99"),
            Line(ref offset, "bad", "SKU1", 1, 999m, T0.AddHours(1), "c99"),
        };
        var alerts = monitor.Observe(order, T0.AddHours(1), _ => "trace-9");

        var (source, alert) = Assert.Single(alerts);
        Assert.Same(order[^1].Record, source);
        Assert.Equal(AnomalyKinds.OrderRisk, alert.Kind);
        Assert.Equal("SKU1", alert.Sku);
        Assert.Equal(999, alert.Observed);
        Assert.Equal(10, alert.ExpectedP50, 0.5);
        Assert.InRange(alert.Score, 0.8, 1);
        Assert.Equal("trace-9", alert.TraceId);
        Assert.StartsWith("unit_price:SKU1", alert.Contributors[0].Name, StringComparison.Ordinal);
        Assert.Equal("order_risk:bad:unit_price:SKU1", alert.AlertId);
    }

    [Fact]
    public void OrderRisk_CancellationLines_AreNotScored()
    {
        var monitor = new OrderRiskMonitor(new AnomalyOptions());
        var offset = 0L;
        var lines = Enumerable.Range(0, 40).Select(i => Line(ref offset, $"o{i}", "SKU1", 2, 10m, T0.AddMinutes(i), "c1")).ToList();
        lines.Add(Line(ref offset, "cancel", "SKU1", -5, 99_999m, T0.AddHours(1), "c1"));

        Assert.Empty(monitor.Observe(lines, T0, _ => null));
    }

    private static (ConsumeResult<byte[]?, byte[]?> Record, OrderLineValidated Line) Line(
        ref long offset, string order, string sku, int quantity, decimal price, DateTimeOffset at, string customer)
    {
        var line = new OrderLineValidated
        {
            LineId = $"{order}:{sku}", OrderId = order, LineNumber = 1, LineCount = 1, Kind = quantity < 0 ? OrderLineKinds.Cancellation : OrderLineKinds.Sale,
            Sku = sku, Quantity = quantity, UnitPrice = price, Currency = "EUR", Region = "eu", Channel = "web", CustomerHash = customer, OccurredAt = at, IngestedAt = at,
        };
        var record = new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(Topics.OrdersValidated, 0, offset++),
            Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(sku), Headers = [] },
        };
        return (record, line);
    }
}
