using static Platform.Features.Tests.Lines;

namespace Platform.Features.Tests;

public sealed class EwmaTests
{
    private const double Alpha = 0.1;

    /// <summary>The textbook recursion, written out independently of the production code.</summary>
    private static (double Mean, double Variance) Expected(params double[] hourly)
    {
        var mean = hourly[0];
        var variance = 0.0;
        foreach (var x in hourly.Skip(1))
        {
            var diff = x - mean;
            mean += Alpha * diff;
            variance = (1 - Alpha) * (variance + Alpha * diff * diff);
        }

        return (mean, variance);
    }

    [Fact]
    public void GapsCountAsZeroDemandHours_AndOnlyCompleteHoursBeforeH0Count()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(Start.AddMinutes(10), 10));
        aggregator.Apply(Sale(Start.AddHours(3).AddMinutes(5), 4));
        aggregator.Apply(Sale(Start.AddHours(3).AddMinutes(50), 2));
        aggregator.Apply(Sale(Start.AddHours(6).AddMinutes(1), 100)); // h0: not yet in the EWMA

        var vector = aggregator.Compute("sku:A", Start.AddHours(6).AddMinutes(1));

        var (mean, variance) = Expected(10, 0, 0, 6, 0, 0);
        Assert.Equal(mean, vector.Value("ewma_mean_hourly"), 12);
        Assert.Equal(variance, vector.Value("ewma_var_hourly"), 12);
    }

    [Fact]
    public void SameResult_WhetherHoursClosedByTheWatermarkOrAtComputeTime()
    {
        var lines = new[] { Sale(Start, 10), Sale(Start.AddHours(2), 3), Sale(Start.AddHours(9), 5) };
        var asOf = Start.AddHours(30);

        var stepwise = new PartitionFeatureAggregator();
        foreach (var line in lines) stepwise.Apply(line);
        stepwise.Apply(Sale(Start.AddHours(30), 1, sku: "OTHER")); // moves the watermark, closes hours
        stepwise.FoldAll();
        var atOnce = new PartitionFeatureAggregator();
        foreach (var line in lines) atOnce.Apply(line);

        VectorAssert.Equal(atOnce.Compute("sku:A", asOf), stepwise.Compute("sku:A", asOf));
        var expected = Expected([10, 0, 3, 0, 0, 0, 0, 0, 0, 5, .. new double[20]]);
        Assert.Equal(expected.Mean, atOnce.Compute("sku:A", asOf).Value("ewma_mean_hourly"), 12);
    }

    [Fact]
    public void LongGaps_ReplayAtMostTheCapOfEmptyHours()
    {
        var schema = new FeatureSchema(new FeatureOptions { MaxEmptyHoursReplayed = 2 });
        var aggregator = new PartitionFeatureAggregator(schema);
        aggregator.Apply(Sale(Start, 10));
        for (var hour = 1; hour <= 6; hour++) aggregator.Apply(Sale(Start.AddHours(hour), 1, sku: "CLOCK"));
        aggregator.Apply(Sale(Start.AddHours(6).AddMinutes(30), 4));

        var vector = aggregator.Compute("sku:A", Start.AddHours(8));

        // Hours 1-5 are empty but only two are replayed; hour 6 has 4; hour 7 is empty again (a new run).
        var (mean, variance) = Expected(10, 0, 0, 4, 0);
        Assert.Equal(mean, vector.Get(schema, "ewma_mean_hourly"), 12);
        Assert.Equal(variance, vector.Get(schema, "ewma_var_hourly"), 12);
    }

    [Fact]
    public void SparseSku_DecaysTowardsZero()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(Start, 10));

        var mean = aggregator.Compute("sku:A", Start.AddHours(48)).Value("ewma_mean_hourly");

        Assert.Equal(10 * Math.Pow(1 - Alpha, 47), mean, 9);
    }
}
