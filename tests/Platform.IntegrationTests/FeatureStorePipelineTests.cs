using Platform.Contracts;
using Platform.Features;
using Platform.IntegrationTests.Fixtures;
using Platform.OnlineStore;
using Platform.Testing;
using Xunit.Abstractions;

namespace Platform.IntegrationTests;

/// <summary>
/// The feature store against the Kafka-protocol broker and a real Redis: whatever happens to its processes, the
/// quantity per SKU (and per SKU × region) in the online store equals the ground truth exactly.
/// </summary>
[Collection("redis")]
public sealed class FeatureStorePipelineTests(RedisFixture redis, ITestOutputHelper output)
{
    [Fact]
    public async Task FeatureStore_ProcessKilledWithSigkillMidStream_QuantityPerSkuEqualsGroundTruth()
    {
        await using var kafka = await TestKafka.StartAsync();
        await FeatureStoreApp.CreateTopicsAsync(kafka);
        var stream = new ValidatedLineStream(seed: 11, lines: 40_000);
        var group = $"fs-kill-{Guid.NewGuid():N}";
        using var producer = kafka.CreateProducer();
        var ends = stream.Publish(producer);

        // Kill three instances at random moments while they work through the backlog, then let a fourth finish.
        var random = new Random(3);
        for (var kill = 0; kill < 3; kill++)
        {
            using var doomed = ServiceProcess.StartFeatureStore(kafka.BootstrapServers, redis.Configuration, group, maxLinesPerFlush: 300);
            await doomed.WaitForAssignmentAsync(TimeSpan.FromSeconds(60), consumer: "feature-store");
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 1500)));
            Assert.False(doomed.HasExited, string.Join(Environment.NewLine, doomed.Log));
            doomed.Kill();
        }

        using var survivor = ServiceProcess.StartFeatureStore(kafka.BootstrapServers, redis.Configuration, group, maxLinesPerFlush: 300);
        var store = new RedisOnlineStore(redis.Connection);
        await ValidatedLineStream.WaitForStateAsync(store, group, ends, TimeSpan.FromSeconds(120));
        await AssertMatchesGroundTruthAsync(store, stream);
    }

    [Fact]
    public async Task FeatureStore_TwoInstancesAndRebalances_QuantityPerSkuEqualsGroundTruth_AndVeryLateLinesGoAside()
    {
        await using var kafka = await TestKafka.StartAsync();
        await FeatureStoreApp.CreateTopicsAsync(kafka);
        var stream = new ValidatedLineStream(seed: 12, lines: 30_000);
        var group = $"fs-rebalance-{Guid.NewGuid():N}";
        using var producer = kafka.CreateProducer();
        var third = stream.Lines.Count / 3;

        await using var first = await FeatureStoreApp.StartAsync(kafka, redis.Configuration, group);
        var ends1 = stream.Publish(producer, 0, third);
        await using var second = await FeatureStoreApp.StartAsync(kafka, redis.Configuration, group);
        var ends2 = stream.Publish(producer, third, 2 * third);
        // The first instance leaves mid-stream: its partitions move to the second, state and all.
        await first.StopAsync();
        var ends3 = stream.Publish(producer, 2 * third);

        var store = new RedisOnlineStore(redis.Connection);
        var ends = ValidatedLineStream.Merge(ends1, ends2, ends3);
        await ValidatedLineStream.WaitForStateAsync(store, group, ends, TimeSpan.FromSeconds(120));
        await AssertMatchesGroundTruthAsync(store, stream);

        // A line two days older than everything else: past the grace period, so it goes to orders.late, uncounted.
        var late = stream.Lines[0] with { LineId = "very-late:1", OrderId = "very-late", Quantity = 1000 };
        using var lateReader = new TopicReader(kafka, Topics.OrdersLate);
        var lateEnds = ValidatedLineStream.LateLine(late).Publish(producer);
        // (The category stream may have put lines here too: a category gathers lines from partitions that the
        // rebalances held back by different amounts of event time.)
        var aside = lateReader.ReadUntil(r => r.Count > 0 && IsVeryLate(r[^1]), TimeSpan.FromSeconds(60));
        var record = Assert.Single(aside, IsVeryLate);
        Assert.Equal("late", Header(record, DeadLetterHeaders.Reason));
        Assert.Equal("sku", Header(record, "late.stream"));
        Assert.True(DateTimeOffset.Parse(Header(record, "late.watermark"), System.Globalization.CultureInfo.InvariantCulture) > late.OccurredAt);
        await ValidatedLineStream.WaitForStateAsync(store, group, ValidatedLineStream.Merge(ends, lateEnds), TimeSpan.FromSeconds(30));
        await AssertMatchesGroundTruthAsync(store, stream);
    }

    private static bool IsVeryLate(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record) => TopicReader.Line(record).LineId == "very-late:1";

    private static string Header(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record, string name) =>
        System.Text.Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));

    private async Task AssertMatchesGroundTruthAsync(RedisOnlineStore store, ValidatedLineStream stream)
    {
        var skus = stream.NetQuantityBySku.Keys.Order(StringComparer.Ordinal).ToList();
        var rows = await store.GetManyAsync(skus.Select(EntityKeys.Sku).ToList());
        var wrong = skus.Zip(rows)
            .Where(pair => pair.Second is null || pair.Second.Values["qty_7d"] != stream.NetQuantityBySku[pair.First])
            .Select(pair => $"{pair.First}: {pair.Second?.Values["qty_7d"]} != {stream.NetQuantityBySku[pair.First]}")
            .ToList();
        output.WriteLine($"{skus.Count} SKUs, {stream.Lines.Count} lines ({stream.Resent} re-sent); wrong: {wrong.Count}");
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong.Take(10)));

        var regions = stream.NetQuantityBySkuRegion.Keys.ToList();
        var regionRows = await store.GetManyAsync(regions.Select(k => EntityKeys.SkuRegion(k.Split(':')[0], k.Split(':')[1])).ToList());
        var wrongRegions = regions.Zip(regionRows).Count(pair => pair.Second is null || pair.Second.Values["qty_7d"] != stream.NetQuantityBySkuRegion[pair.First]);
        Assert.Equal(0, wrongRegions);
    }
}
