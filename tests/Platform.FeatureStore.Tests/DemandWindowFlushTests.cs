using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Features;
using Platform.Kafka;
using Platform.OnlineStore;

namespace Platform.FeatureStore.Tests;

/// <summary>The SKU stream writes each SKU's hourly demand window into the online store in the flush's own commit.</summary>
public sealed class DemandWindowFlushTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly KafkaConnection _connection;
    private readonly PlatformProducer _producer;
    private readonly FeatureStoreMetrics _metrics = new();
    private readonly InMemoryOnlineStore _store = new();

    public DemandWindowFlushTests()
    {
        // No bootstrap servers: the connection starts librdkafka's mock cluster in this process.
        var options = Options.Create(new KafkaOptions());
        _connection = new KafkaConnection(options, NullLogger<KafkaConnection>.Instance);
        _connection.EnsureTopicsAsync([Topics.FeaturesUpdated, Topics.OrdersLate, Topics.FeatureCategoryLines]).GetAwaiter().GetResult();
        _producer = new PlatformProducer(_connection, options, NullLogger<PlatformProducer>.Instance);
    }

    [Fact]
    public async Task Flush_WhenTheWatermarkEntersAnHour_RewritesEverySkusWindow_IdleOnesToo()
    {
        var handler = Handler(windowHours: 3);
        await handler.HandleAsync([Record(0, Line("A", T0.AddMinutes(5), 4)), Record(1, Line("B", T0.AddMinutes(20), 2))], new OutputBatch(_producer), default);

        var first = await _store.GetDemandWindowsAsync(["sku:A", "sku:B", "sku_region:A:eu"]);
        Assert.Equal(T0, first[0]!.End);
        Assert.Equal([0, 0, 0], first[0]!.Units);
        Assert.Equal([0, 0, 0], first[1]!.Units);
        Assert.Null(first[2]);

        // Only A sells again, at 11:15: the watermark (11:05) enters 11:00, and B's window shows its sale and its empty hour.
        await handler.HandleAsync([Record(2, Line("A", T0.AddMinutes(75), 1))], new OutputBatch(_producer), default);

        var second = await _store.GetDemandWindowsAsync(["sku:A", "sku:B"]);
        Assert.Equal(T0.AddHours(1), second[0]!.End);
        Assert.Equal(T0.AddMinutes(65), second[0]!.AsOf);
        Assert.Equal([0, 0, 4], second[0]!.Units);
        Assert.Equal(T0.AddHours(1), second[1]!.End);
        Assert.Equal([0, 0, 2], second[1]!.Units);
        Assert.Equal([0, 0, 1], second[1]!.Lines);
    }

    [Fact]
    public async Task Flush_WithWindowsOff_WritesNone()
    {
        var handler = Handler(windowHours: 0);
        await handler.HandleAsync([Record(0, Line("A", T0.AddMinutes(5), 4))], new OutputBatch(_producer), default);

        Assert.NotNull(await _store.GetAsync("sku:A"));
        Assert.Null((await _store.GetDemandWindowsAsync(["sku:A"]))[0]);
    }

    private FeatureStreamHandler Handler(int windowHours) => new(
        new FeatureStreamHandler.Settings(FeatureStreamHandler.SkuStream, $"windows-{Guid.NewGuid():N}", EntityScope.Sku, ForwardCategoryLines: false, windowHours),
        FeatureSchema.Default, _store, _metrics, NullLogger<FeatureStreamHandler>.Instance);

    private static OrderLineValidated Line(string sku, DateTimeOffset at, int quantity) => new()
    {
        LineId = $"{sku}-{at.UtcTicks}:1", OrderId = $"{sku}-{at.UtcTicks}", LineNumber = 1, LineCount = 1, Sku = sku, Quantity = quantity,
        UnitPrice = 3m, Currency = "EUR", Region = "eu", Channel = "web", OccurredAt = at, IngestedAt = at,
    };

    private static ConsumeResult<byte[]?, byte[]?> Record(long offset, OrderLineValidated line) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Topics.OrdersValidated, 0, offset),
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
