using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Features;
using Platform.FeatureStore.Backfill;
using Platform.Kafka;
using Platform.OnlineStore;

namespace Platform.FeatureStore.Tests;

/// <summary>A backfill from history is where the SKU stream starts: its windows continue the history.</summary>
public sealed class FeatureStateBackfillTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly KafkaConnection _connection;
    private readonly PlatformProducer _producer;
    private readonly FeatureStoreMetrics _metrics = new();
    private readonly InMemoryOnlineStore _store = new();
    private readonly string _group = $"backfill-{Guid.NewGuid():N}";

    public FeatureStateBackfillTests()
    {
        var options = Options.Create(new KafkaOptions());
        _connection = new KafkaConnection(options, NullLogger<KafkaConnection>.Instance);
        _connection.EnsureTopicsAsync([Topics.FeaturesUpdated, Topics.OrdersLate, Topics.FeatureCategoryLines]).GetAwaiter().GetResult();
        _producer = new PlatformProducer(_connection, options, NullLogger<PlatformProducer>.Instance);
    }

    [Fact]
    public async Task Backfill_ThenLiveLines_WindowHoldsHistoryAndLiveHours()
    {
        // Two units an hour from 05:10 to 09:10, then the stream takes over.
        var history = Enumerable.Range(0, 5).Select(h => Line("A", T0.AddHours(-5 + h).AddMinutes(10), 2, $"h{h}"));
        var result = await Backfill(partitions: 1, windowHours: 4).RunAsync(history);

        Assert.Equal(5, result.LinesApplied);
        Assert.Equal(0, result.LinesLate);
        var seeded = (await _store.GetDemandWindowsAsync(["sku:A"]))[0]!;
        Assert.Equal(T0.AddHours(-1), seeded.End);
        Assert.Equal([2, 2, 2, 2], seeded.Units);
        Assert.NotNull(await _store.GetAsync("sku:A"));

        // Live sales at 10:05 and 11:00 move the watermark to 10:50: the window ends at 10:00 and still holds 06:00–08:00
        // from history, with 09:00 holding the history's last line. Then 11:20 moves it to 11:10: the live hour 10:00 joins.
        var handler = Handler(windowHours: 4);
        await handler.HandleAsync([Record(0, 0, Line("A", T0.AddMinutes(5), 3, "live")), Record(0, 1, Line("A", T0.AddMinutes(60), 1, "live"))], new OutputBatch(_producer), default);
        await handler.HandleAsync([Record(0, 2, Line("A", T0.AddMinutes(80), 1, "live"))], new OutputBatch(_producer), default);

        var live = (await _store.GetDemandWindowsAsync(["sku:A"]))[0]!;
        Assert.Equal(T0.AddHours(1), live.End);
        Assert.Equal([2, 2, 2, 3], live.Units);
        Assert.Equal([1, 1, 1, 1], live.Lines);
    }

    [Fact]
    public async Task Backfill_PutsEachSkuInThePartitionItsRecordsComeFrom()
    {
        var skus = Enumerable.Range(0, 40).Select(i => $"S{i}").ToArray();
        var history = skus.Select((sku, i) => Line(sku, T0.AddMinutes(i), 1, "h"));
        var result = await Backfill(partitions: 4, windowHours: 2).RunAsync(history);

        Assert.Equal(skus.Length, result.LinesApplied);
        for (var p = 0; p < 4; p++)
        {
            var state = await _store.LoadPartitionAsync(_group, Topics.OrdersValidated, p);
            var expected = skus.Where(s => KafkaKeyPartitioner.PartitionOf(s, 4) == p).Select(s => "sku:" + s).Order(StringComparer.Ordinal);
            Assert.Equal(expected, state.Entities.Keys.Where(k => k.StartsWith("sku:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.Equal(0, state.NextOffset);
        }
    }

    [Fact]
    public async Task Backfill_OverAStreamThatAlreadyStoredState_IsRefused()
    {
        var handler = Handler(windowHours: 2);
        await handler.HandleAsync([Record(0, 0, Line("A", T0, 1, "live"))], new OutputBatch(_producer), default);

        await Assert.ThrowsAsync<PartitionOwnershipLostException>(() => Backfill(partitions: 1, windowHours: 2).RunAsync([Line("A", T0.AddHours(-2), 1, "old")]));
        Assert.Equal(1, (await _store.LoadPartitionAsync(_group, Topics.OrdersValidated, 0)).NextOffset);
    }

    private FeatureStateBackfill Backfill(int partitions, int windowHours) =>
        new(_store, FeatureSchema.Default, new FeatureStateBackfill.Settings(_group, partitions, windowHours) { Workers = 2 });

    private FeatureStreamHandler Handler(int windowHours) => new(
        new FeatureStreamHandler.Settings(FeatureStreamHandler.SkuStream, _group, EntityScope.Sku, ForwardCategoryLines: false, windowHours),
        FeatureSchema.Default, _store, _metrics, NullLogger<FeatureStreamHandler>.Instance);

    private static OrderLineValidated Line(string sku, DateTimeOffset at, int quantity, string tag) => new()
    {
        LineId = $"{sku}-{tag}-{at.UtcTicks}:1", OrderId = $"{sku}-{tag}-{at.UtcTicks}", LineNumber = 1, LineCount = 1, Sku = sku, Quantity = quantity,
        UnitPrice = 3m, Currency = "EUR", Region = "eu", Channel = "web", OccurredAt = at, IngestedAt = at,
    };

    private static ConsumeResult<byte[]?, byte[]?> Record(int partition, long offset, OrderLineValidated line) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Topics.OrdersValidated, partition, offset),
        Message = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(line.Sku),
            Value = JsonSerializer.SerializeToUtf8Bytes(line, ContractsJsonContext.Default.OrderLineValidated),
            Headers = [],
        },
    };

    public void Dispose()
    {
        _producer.Dispose();
        _connection.Dispose();
        _metrics.Dispose();
    }
}
