using static Platform.Features.Tests.Lines;

namespace Platform.Features.Tests;

public sealed class AggregatorTests
{
    private static readonly DateTimeOffset T0 = Start.AddHours(10);

    [Fact]
    public void UnknownEntity_GivesZeroVectorWithCalendar()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0, 3));

        var vector = aggregator.Compute("sku:never-seen", T0);

        Assert.Null(vector.LastEventAt);
        Assert.Equal(0, vector.Value("qty_24h"));
        Assert.Equal(0, vector.Value("ewma_mean_hourly"));
        Assert.True(double.IsNaN(vector.Value("avg_price_24h")));
        Assert.Equal(10, vector.Value("hour_of_day"));
        Assert.Equal(0, vector.Value("day_of_week"));
        Assert.Equal(FeatureSchema.Default.Hash, vector.SchemaHash);
        Assert.Equal(FeatureSchema.Default.Count, vector.Values.Length);
    }

    [Fact]
    public void NewSku_CreatesItsThreeEntities()
    {
        var aggregator = new PartitionFeatureAggregator();
        Assert.Equal(ApplyResult.Applied, aggregator.Apply(Sale(T0, 3, sku: "NEW", region: "us-east", category: "toys")));
        Assert.Equal(ApplyResult.Applied, aggregator.Apply(Sale(T0, 2, sku: "GUEST", category: null)));

        Assert.Equal(["sku:NEW", "sku_region:NEW:us-east", "category:toys", "sku:GUEST", "sku_region:GUEST:eu-west"], aggregator.DrainChanged());
        Assert.Empty(aggregator.DrainChanged());
        Assert.Equal(3, aggregator.Compute("sku:NEW", T0).Value("qty_1h"));
        Assert.Equal(3, aggregator.Compute("sku_region:NEW:us-east", T0).Value("qty_1h"));
        Assert.Equal(3, aggregator.Compute("category:toys", T0).Value("qty_1h"));
        Assert.Equal(T0, aggregator.Compute("sku:NEW", T0).LastEventAt);
        Assert.Equal(T0, aggregator.LatestEventTime("sku:NEW"));
    }

    [Fact]
    public void OutOfOrderWithinGrace_IsAppliedToItsOwnHour()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0.AddMinutes(5), 4));
        // 8 minutes older than the latest, across the hour boundary: within the 10-minute grace.
        Assert.Equal(ApplyResult.Applied, aggregator.Apply(Sale(T0.AddMinutes(-3), 7)));

        var vector = aggregator.Compute("sku:A", T0.AddMinutes(5));
        Assert.Equal(4, vector.Value("qty_1h"));
        Assert.Equal(7, vector.Value("qty_lag_1h"));
        Assert.Equal(11, vector.Value("qty_24h"));
    }

    [Fact]
    public void BeyondGrace_IsLate_AndNotApplied()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0.AddMinutes(30), 4));

        Assert.Equal(ApplyResult.Late, aggregator.Apply(Sale(T0.AddMinutes(20), 100)));
        Assert.Equal(ApplyResult.Late, aggregator.Apply(Sale(T0.AddHours(-5), 100)));

        Assert.Equal(2, aggregator.LateCount);
        Assert.Equal(T0.AddMinutes(20), aggregator.Watermark);
        Assert.Equal(4, aggregator.Compute("sku:A", T0.AddMinutes(30)).Value("qty_24h"));
    }

    [Fact]
    public void SameLineId_IsDuplicate_AndNotApplied()
    {
        var aggregator = new PartitionFeatureAggregator();
        Assert.Equal(ApplyResult.Applied, aggregator.Apply(Sale(T0, 4, lineId: "ord-1:1")));
        aggregator.Apply(Sale(T0.AddMinutes(20), 1));

        // Already below the watermark, but still within the duplicate retention: reported as a duplicate.
        Assert.Equal(ApplyResult.Duplicate, aggregator.Apply(Sale(T0, 4, lineId: "ord-1:1")));
        Assert.Equal(1, aggregator.DuplicateCount);
        Assert.Equal(5, aggregator.Compute("sku:A", T0.AddMinutes(20)).Value("qty_1h"));
    }

    [Fact]
    public void DuplicateIds_AreForgottenAfterTheRetention()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0, 4, lineId: "ord-1:1"));
        aggregator.Apply(Sale(T0.AddHours(2), 1));

        Assert.Equal(ApplyResult.Late, aggregator.Apply(Sale(T0, 4, lineId: "ord-1:1")));
        Assert.Equal(1, aggregator.RecentLineIdCount);
    }

    [Fact]
    public void FarFutureEvent_IsSkewed_AppliedAtItsOwnTime_AndMovesTheWatermarkAtMostTheSkew()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0, 1));

        Assert.Equal(ApplyResult.Skewed, aggregator.Apply(Sale(T0.AddDays(30), 50)));

        Assert.Equal(1, aggregator.SkewedCount);
        Assert.Equal(T0.AddHours(1), aggregator.MaxEventTime);
        Assert.Equal(T0.AddMinutes(50), aggregator.Watermark);
        // Normal traffic goes on: only lines more than an hour older would now be late.
        Assert.Equal(ApplyResult.Applied, aggregator.Apply(Sale(T0.AddMinutes(55), 2)));
        Assert.Equal(ApplyResult.Late, aggregator.Apply(Sale(T0.AddMinutes(45), 2)));
        Assert.Equal(3, aggregator.Compute("sku:A", T0.AddHours(1)).Value("qty_24h"));
        Assert.Equal(50, aggregator.Compute("sku:A", T0.AddDays(30)).Value("qty_1h"));
    }

    [Fact]
    public void Cancellations_ReduceNetDemand()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0, 10));
        aggregator.Apply(Cancel(T0.AddMinutes(1), 3));
        aggregator.Apply(Cancel(T0.AddMinutes(2), 2));

        var vector = aggregator.Compute("sku:A", T0.AddMinutes(2));
        Assert.Equal(5, vector.Value("qty_1h"));
        Assert.Equal(5, vector.Value("qty_24h"));
        Assert.Equal(1, vector.Value("lines_24h"));
        Assert.Equal(2, vector.Value("cancel_lines_24h"));
        Assert.Equal(5, vector.Value("cancel_units_24h"));
        Assert.Equal(10, vector.Value("avg_price_24h"));
    }

    [Fact]
    public void Windows_FollowTheHourBucketDefinitions()
    {
        // asOf is Thursday 2026-01-15 13:20; h0 = 13:00, its day starts 2026-01-15.
        var asOf = new DateTimeOffset(2026, 1, 15, 13, 20, 0, TimeSpan.Zero);
        var h0 = asOf.AddMinutes(-20);
        var history = new[]
        {
            Sale(h0.AddMinutes(5), 1),           // h0: 1h, 24h, 7d
            Sale(h0.AddMinutes(40), 1000),       // after asOf: nowhere
            Sale(h0.AddMinutes(-1), 2),          // h0-1: lag 1h, 24h
            Sale(h0.AddHours(-23), 4),           // h0-23: last hour of 24h; day before
            Sale(h0.AddHours(-24), 8),           // h0-24: lag 24h, not 24h; day before
            Sale(h0.AddHours(-167), 16),         // h0-167: last hour of 7d; day - 7
            Sale(h0.AddHours(-168), 32),         // h0-168: lag 168h, not 7d; day - 7
            Sale(new DateTimeOffset(2026, 1, 8, 0, 0, 0, TimeSpan.Zero), 64),   // day - 7 (first hour)
            Sale(new DateTimeOffset(2026, 1, 8, 23, 59, 0, TimeSpan.Zero), 128), // day - 7 (last hour) = h0-158: in 7d
            Sale(new DateTimeOffset(2026, 1, 14, 0, 30, 0, TimeSpan.Zero), 256), // day - 1, h0-37
            Sale(h0.AddHours(-193), 512),        // older than anything kept
        };

        var vector = new OfflineFeatureBuilder().Build(history, [new LabelPoint("sku:A", asOf)])[0];

        Assert.Equal(1, vector.Value("qty_1h"));
        Assert.Equal(1 + 2 + 4, vector.Value("qty_24h"));
        Assert.Equal(1 + 2 + 4 + 8 + 16 + 128 + 256, vector.Value("qty_7d"));
        Assert.Equal(1, vector.Value("lines_1h"));
        Assert.Equal(3, vector.Value("lines_24h"));
        Assert.Equal(2, vector.Value("qty_lag_1h"));
        Assert.Equal(8, vector.Value("qty_lag_24h"));
        Assert.Equal(32, vector.Value("qty_lag_168h"));
        Assert.Equal(4 + 8 + 256, vector.Value("qty_lag_1d"));
        Assert.Equal(16 + 32 + 64 + 128, vector.Value("qty_lag_7d"));
        Assert.Equal(h0.AddMinutes(5), vector.LastEventAt);
        Assert.Equal(13, vector.Value("hour_of_day"));
        Assert.Equal(3, vector.Value("day_of_week"));
    }

    [Fact]
    public void DistinctCustomers_CountEachCustomerOnce_AndSkipGuestsAndCancellations()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0.AddHours(-30), customer: "old"));
        aggregator.Apply(Sale(T0.AddHours(-2), customer: "c1"));
        aggregator.Apply(Sale(T0.AddHours(-1), customer: "c2"));
        aggregator.Apply(Sale(T0, customer: "c1"));
        aggregator.Apply(Sale(T0, customer: null));
        aggregator.Apply(Sale(T0, quantity: -1, customer: "c3"));

        Assert.Equal(2, aggregator.Compute("sku:A", T0).Value("distinct_customers_24h"));
    }

    [Fact]
    public void DistinctCustomers_StayExactAcrossLongGaps()
    {
        var aggregator = new PartitionFeatureAggregator();
        for (var hour = 0; hour < 30; hour++) aggregator.Apply(Sale(T0.AddHours(hour), customer: "early" + hour % 7));
        for (var hour = 0; hour < 30; hour++) aggregator.Apply(Sale(T0.AddHours(30 + hour), customer: "late" + hour % 5));
        aggregator.Apply(Sale(T0.AddHours(100), customer: "late1"));

        Assert.Equal(1, aggregator.Compute("sku:A", T0.AddHours(100)).Value("distinct_customers_24h"));
        Assert.Equal(1, aggregator.Compute("sku:A", T0.AddHours(123)).Value("distinct_customers_24h"));
        Assert.Equal(0, aggregator.Compute("sku:A", T0.AddHours(124)).Value("distinct_customers_24h"));
    }

    [Fact]
    public void DistinctCustomers_SaturateAtTheCap()
    {
        var aggregator = new PartitionFeatureAggregator(new FeatureSchema(new FeatureOptions { DistinctCustomerCap = 3 }));
        for (var i = 0; i < 10; i++) aggregator.Apply(Sale(T0.AddMinutes(i * 20), customer: "c" + i));

        Assert.Equal(3, aggregator.Compute("sku:A", T0.AddMinutes(180)).Value("distinct_customers_24h"));
        Assert.True(aggregator.StateOf("sku:A")!.CustomerCount <= 3);
    }

    [Fact]
    public void PriceAndPromotionFeatures()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0.AddDays(-3), price: 10m));
        aggregator.Apply(Sale(T0.AddDays(-2), price: 10m));
        aggregator.Apply(Sale(T0.AddHours(-1), price: 7m, promotion: "P"));
        aggregator.Apply(Sale(T0, price: 9m));

        var vector = aggregator.Compute("sku:A", T0);
        Assert.Equal(8, vector.Value("avg_price_24h"));
        Assert.Equal(9, vector.Value("avg_price_7d"));
        Assert.Equal(8.0 / 9.0 - 1, vector.Value("price_change_24h_vs_7d"), 12);
        Assert.Equal(1, vector.Value("promo_any_24h"));
        Assert.Equal(0.5, vector.Value("promo_share_24h"));
    }

    [Fact]
    public void Holidays_AreConfigurable()
    {
        var christmas = new DateTimeOffset(2026, 12, 25, 9, 0, 0, TimeSpan.Zero);
        var blackFriday = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        var defaults = new PartitionFeatureAggregator();
        var custom = new PartitionFeatureAggregator(new FeatureSchema(new FeatureOptions { Holidays = ["2026-11-27"] }));

        Assert.Equal(1, defaults.Compute("sku:A", christmas).Value("is_holiday"));
        Assert.Equal(0, defaults.Compute("sku:A", blackFriday).Value("is_holiday"));
        Assert.Equal(0, custom.Compute("sku:A", christmas).Value("is_holiday"));
        Assert.Equal(1, custom.Compute("sku:A", blackFriday).Value("is_holiday"));
        Assert.Throws<ArgumentException>(() => new FeatureSchema(new FeatureOptions { Holidays = ["25/12"] }));
    }

    [Fact]
    public void ComputeBeforeTheWatermark_Throws()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0, 1));

        Assert.Throws<ArgumentOutOfRangeException>(() => aggregator.Compute("sku:A", T0.AddMinutes(-11)));
        Assert.Equal(0, aggregator.Compute("sku:A", T0.AddMinutes(-10)).Value("qty_24h"));
    }

    [Fact]
    public void ArrivalOrderWithinGrace_DoesNotChangeAnyVector()
    {
        var lines = Random(seed: 1, count: 4000, hours: 72);
        var keys = lines.Select(l => EntityKeys.Sku(l.Sku)).Distinct().ToList();
        FeatureVector[] Run(int seed)
        {
            var aggregator = new PartitionFeatureAggregator();
            foreach (var line in Disordered(lines, TimeSpan.FromMinutes(9), seed)) Assert.Equal(ApplyResult.Applied, aggregator.Apply(line));
            var end = aggregator.MaxEventTime!.Value;
            return keys.Select(k => aggregator.Compute(k, end)).ToArray();
        }

        var first = Run(1);
        var second = Run(2);
        for (var i = 0; i < first.Length; i++) VectorAssert.Equal(first[i], second[i]);
    }

    [Fact]
    public void Memory_OldHoursArePruned()
    {
        var aggregator = new PartitionFeatureAggregator();
        var lines = Random(seed: 2, count: 20_000, hours: 24 * 30, skus: 3);
        foreach (var line in lines.OrderBy(l => l.OccurredAt)) aggregator.Apply(line);
        aggregator.FoldAll();

        var state = aggregator.StateOf("sku:S1")!;
        Assert.InRange(state.BucketCount, 100, FeatureSchema.RetainedHours);
        Assert.InRange(state.PendingCount, 0, 50);
        Assert.True(aggregator.RecentLineIdCount < 200, $"{aggregator.RecentLineIdCount} line ids held");
    }

    [Fact]
    public void EvictIdle_DropsEntitiesWithoutRecentLines()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(T0, sku: "OLD"));
        for (var hour = 1; hour <= 240; hour++) aggregator.Apply(Sale(T0.AddHours(hour), sku: "NEW"));
        aggregator.DrainChanged();

        Assert.True(aggregator.EvictIdle() >= 2);
        Assert.Null(aggregator.StateOf("sku:OLD"));
        Assert.NotNull(aggregator.StateOf("sku:NEW"));
    }
}
