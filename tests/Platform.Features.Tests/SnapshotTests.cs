using static Platform.Features.Tests.Lines;

namespace Platform.Features.Tests;

public sealed class SnapshotTests
{
    [Fact]
    public void RestoreThenApplyTheRest_EqualsApplyingEverythingAtOnce()
    {
        var arrivals = Disordered(Random(seed: 3, count: 30_000, hours: 24 * 10), TimeSpan.FromMinutes(9), seed: 3);
        var cut = arrivals.Count * 3 / 5;

        var whole = new PartitionFeatureAggregator();
        foreach (var line in arrivals) whole.Apply(line);

        var before = new PartitionFeatureAggregator();
        foreach (var line in arrivals.Take(cut)) before.Apply(line);
        var partition = before.SnapshotPartition();
        var entities = before.EntityKeys.ToDictionary(k => k, k => before.SnapshotEntity(k)!);

        var after = new PartitionFeatureAggregator();
        after.RestorePartition(partition);
        foreach (var (key, bytes) in entities) after.RestoreEntity(key, bytes);
        Assert.Equal(before.Watermark, after.Watermark);
        // A redelivery of a line from before the snapshot is still recognised.
        Assert.Equal(ApplyResult.Duplicate, after.Apply(arrivals[cut - 1]));
        foreach (var line in arrivals.Skip(cut)) Assert.Equal(ApplyResult.Applied, after.Apply(line));

        Assert.Equal(whole.EntityCount, after.EntityCount);
        var end = whole.MaxEventTime!.Value;
        foreach (var key in whole.EntityKeys)
        {
            VectorAssert.Equal(whole.Compute(key, end), after.Compute(key, end));
            VectorAssert.Equal(whole.Compute(key, end.AddHours(5)), after.Compute(key, end.AddHours(5)));
        }

        // Equal states give equal bytes, whatever the history of folds.
        Assert.Equal(whole.SnapshotPartition(), after.SnapshotPartition());
    }

    [Fact]
    public void EntitySnapshot_IsCompactForASparseSku()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(Start, 2));
        aggregator.Apply(Sale(Start.AddHours(5), 1, sku: "B"));

        Assert.InRange(aggregator.SnapshotEntity("sku:A")!.Length, 1, 160);
        Assert.Null(aggregator.SnapshotEntity("sku:unknown"));
    }

    [Fact]
    public void Restore_RejectsAnotherVersionOrSchema()
    {
        var aggregator = new PartitionFeatureAggregator();
        aggregator.Apply(Sale(Start, 2));
        var entity = aggregator.SnapshotEntity("sku:A")!;
        var partition = aggregator.SnapshotPartition();

        var otherSchema = new PartitionFeatureAggregator(new FeatureSchema(new FeatureOptions { EwmaAlpha = 0.2 }));
        Assert.Throws<InvalidDataException>(() => otherSchema.RestoreEntity("sku:A", entity));
        Assert.Throws<InvalidDataException>(() => otherSchema.RestorePartition(partition));

        var future = (byte[])entity.Clone();
        future[0] = 99;
        Assert.Throws<InvalidDataException>(() => new PartitionFeatureAggregator().RestoreEntity("sku:A", future));
    }
}
