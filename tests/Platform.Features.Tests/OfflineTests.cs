using Platform.Contracts;
using static Platform.Features.Tests.Lines;

namespace Platform.Features.Tests;

public sealed class OfflineTests
{
    [Fact]
    public void EventAfterTheLabelTime_DoesNotLeakIntoItsFeatures()
    {
        var label = Start.AddHours(12).AddMinutes(30);
        var history = new List<OrderLineValidated>
        {
            Sale(Start.AddHours(11), 5, customer: "c1", price: 10m),
            Sale(label, 1, customer: "c2", price: 10m),
            // One tick after the label time: same hour, same everything, must not count.
            Sale(label.AddTicks(1), 1000, customer: "c3", price: 99m, promotion: "P"),
            Cancel(label.AddMinutes(1), 4),
            Sale(label.AddDays(1), 1000, customer: "c4"),
        };
        var withoutFuture = history.Where(l => l.OccurredAt <= label).ToList();

        var builder = new OfflineFeatureBuilder();
        var vector = builder.Build(history, [new LabelPoint("sku:A", label)])[0];
        var reference = builder.Build(withoutFuture, [new LabelPoint("sku:A", label)])[0];

        VectorAssert.Equal(reference, vector);
        Assert.Equal(1, vector.Value("qty_1h"));
        Assert.Equal(6, vector.Value("qty_24h"));
        Assert.Equal(2, vector.Value("distinct_customers_24h"));
        Assert.Equal(0, vector.Value("promo_any_24h"));
        Assert.Equal(0, vector.Value("cancel_lines_24h"));
        Assert.Equal(10, vector.Value("avg_price_24h"));
        Assert.Equal(label, vector.LastEventAt);
    }

    [Fact]
    public void Points_ComeBackInTheirOwnOrder_WhateverTheHistoryOrder()
    {
        var history = Random(seed: 4, count: 2000, hours: 48);
        var points = new[]
        {
            new LabelPoint("sku:S1", Start.AddHours(40)),
            new LabelPoint("sku:S2", Start.AddHours(10)),
            new LabelPoint("category:toys", Start.AddHours(47)),
            new LabelPoint("sku:S1", Start.AddHours(10)),
        };
        var builder = new OfflineFeatureBuilder();

        var forward = builder.Build(history, points);
        var backward = builder.Build(Enumerable.Reverse(history), points);

        for (var i = 0; i < points.Length; i++)
        {
            Assert.Equal(points[i].EntityKey, forward[i].EntityKey);
            Assert.Equal(points[i].AsOf, forward[i].AsOf);
            VectorAssert.Equal(forward[i], backward[i]);
            var expected = history.Where(l => l.OccurredAt <= points[i].AsOf && l.OccurredAt >= points[i].AsOf.AddDays(-7).AddTicks(-(points[i].AsOf.UtcTicks % TimeSpan.TicksPerHour)).AddHours(1)
                && (points[i].EntityKey == "sku:" + l.Sku || points[i].EntityKey == "category:" + l.Category)).Sum(l => (double)l.Quantity);
            Assert.Equal(expected, forward[i].Value("qty_7d"));
        }
    }
}
