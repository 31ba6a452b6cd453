using static Platform.Features.Tests.Lines;

namespace Platform.Features.Tests;

public sealed class DemandWindowTests
{
    private static readonly DateTimeOffset T0 = Start.AddHours(10);

    [Fact]
    public void Window_CountsSaleUnitsLinesAndPromotionsPerCompleteHour_CancellationsLeftOut()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0.AddMinutes(5), 4));
        aggregator.Apply(Sale(T0.AddMinutes(50), 2, promotion: "P1"));
        aggregator.Apply(Cancel(T0.AddMinutes(55), 3));
        // (Another SKU's line keeps each step within the one-hour skew allowance.)
        aggregator.Apply(Sale(T0.AddMinutes(110), 5, sku: "Z"));
        aggregator.Apply(Sale(T0.AddMinutes(150), 7));
        // Latest event 13:20, watermark 13:10: hours up to 12:00 are complete; 13:00 is not in the window.
        aggregator.Apply(Sale(T0.AddHours(3).AddMinutes(20), 9));

        var units = new int[4];
        var lines = new int[4];
        var promo = new int[4];
        var end = aggregator.WriteHourlyDemand("sku:A", units, lines, promo);

        Assert.Equal(T0.AddHours(3), end);
        Assert.Equal([0, 6, 0, 7], units);
        Assert.Equal([0, 2, 0, 1], lines);
        Assert.Equal([0, 1, 0, 0], promo);
    }

    [Fact]
    public void Window_IncludesLinesTheEntityHasNotFoldedYet()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0.AddMinutes(5), 4, sku: "IDLE"));
        // Only SKU B gets later lines, so IDLE's line stays pending while the watermark moves two hours on.
        aggregator.Apply(Sale(T0.AddMinutes(60), 1, sku: "B"));
        aggregator.Apply(Sale(T0.AddMinutes(110), 1, sku: "B"));
        aggregator.Apply(Sale(T0.AddMinutes(150), 1, sku: "B"));

        var units = new int[3];
        var end = aggregator.WriteHourlyDemand("sku:IDLE", units, new int[3], new int[3]);

        Assert.Equal(T0.AddHours(2), end);
        Assert.Equal([0, 4, 0], units);
    }

    [Fact]
    public void Window_UnknownEntityIsZeros_AndNoWatermarkMeansNoWindow()
    {
        var aggregator = new PartitionFeatureAggregator();
        Assert.Null(aggregator.WriteHourlyDemand("sku:A", new int[2], new int[2], new int[2]));

        aggregator.Apply(Sale(T0.AddMinutes(30), 4));
        var units = new[] { 9, 9 };
        Assert.Equal(T0, aggregator.WriteHourlyDemand("sku:other", units, new int[2], new int[2]));
        Assert.Equal([0, 0], units);

        Assert.Throws<ArgumentException>(() => aggregator.WriteHourlyDemand("sku:A", new int[192], new int[192], new int[192]));
        Assert.Throws<ArgumentException>(() => aggregator.WriteHourlyDemand("sku:A", new int[2], new int[3], new int[2]));
    }

    [Fact]
    public void Window_IsIndependentOfArrivalOrder()
    {
        var lines = Random(seed: 5, count: 3000, hours: 60);
        var ordered = new PartitionFeatureAggregator();
        var disordered = new PartitionFeatureAggregator();
        foreach (var line in lines.OrderBy(l => l.OccurredAt)) ordered.Apply(line);
        foreach (var line in Disordered(lines, TimeSpan.FromMinutes(9), seed: 6)) disordered.Apply(line);

        for (var sku = 0; sku < 20; sku++)
        {
            var a = new int[48];
            var b = new int[48];
            Assert.Equal(ordered.WriteHourlyDemand($"sku:S{sku}", a, new int[48], new int[48]), disordered.WriteHourlyDemand($"sku:S{sku}", b, new int[48], new int[48]));
            Assert.Equal(a, b);
            Assert.True(a.Sum() > 0);
        }
    }
}
