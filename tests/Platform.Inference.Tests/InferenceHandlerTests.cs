using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Features;
using Platform.Inference.Pipeline;
using Platform.Inference.Scoring;
using Platform.Kafka;
using Platform.OnlineStore;

namespace Platform.Inference.Tests;

/// <summary>The consumer handler on the in-memory store and the mock cluster, with the fake model (P50 = the last hour).</summary>
public sealed class InferenceHandlerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset E0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly KafkaConnection _connection;
    private readonly PlatformProducer _producer;
    private readonly InferenceMetrics _metrics = new();
    private readonly InMemoryOnlineStore _store = new(time: new FixedTime(E0));
    private readonly MicroBatcher _batcher;
    private readonly InferenceHandler _handler;
    private long _offset;

    public InferenceHandlerTests()
    {
        var options = Options.Create(new KafkaOptions { DefaultPartitions = 1 });
        _connection = new KafkaConnection(options, NullLogger<KafkaConnection>.Instance);
        _producer = new PlatformProducer(_connection, options, NullLogger<PlatformProducer>.Instance);
        _batcher = new MicroBatcher(new MicroBatcherOptions { MaxBatchSize = 16, MaxQueueDelay = TimeSpan.Zero }, _metrics);
        _batcher.Publish(new FakeModels().Create(1));
        _handler = new InferenceHandler(
            new SkuForecaster(_store, _store, _batcher, _metrics, TimeSpan.FromSeconds(1)),
            _metrics, new AnomalyOptions(), FeatureSchema.Default.Hash, new FixedTime(E0), NullLogger<InferenceHandler>.Instance);
    }

    [Fact]
    public async Task Handler_SkuThatStopsSelling_IsForecastAgainEachHour_AndItsDropIsFound()
    {
        using var reader = new TopicReader(_connection.BootstrapServers, Topics.ForecastsDemand, Topics.AlertsAnomalies);
        // Hour E0: both SKUs sell 40 lines (80 units) an hour and are forecast.
        await SeedAsync(E0, ("A", Steady(E0)), ("B", Steady(E0)));
        await HandleAsync(Notice("A", E0.AddMinutes(10)), Notice("B", E0.AddMinutes(10)));

        // A keeps selling and gets notices; B stops: the feature store rewrites its window every hour, but sends nothing.
        await SeedAsync(E0.AddHours(1), ("A", Steady(E0.AddHours(1))), ("B", Stopped(E0.AddHours(1), since: E0)));
        await HandleAsync(Notice("A", E0.AddHours(1).AddMinutes(10)));
        await SeedAsync(E0.AddHours(2), ("A", Steady(E0.AddHours(2))), ("B", Stopped(E0.AddHours(2), since: E0)));
        var last = Notice("A", E0.AddHours(2).AddMinutes(10));
        await HandleAsync(last);

        var records = reader.ReadUntil(r => r.Count(x => x.Topic == Topics.ForecastsDemand) >= 6 && r.Any(x => x.Topic == Topics.AlertsAnomalies), TimeSpan.FromSeconds(30));
        var forecastsOfB = records.Where(r => r.Topic == Topics.ForecastsDemand && Encoding.UTF8.GetString(r.Message.Key!) == "B")
            .Select(r => JsonSerializer.Deserialize(r.Message.Value, ContractsJsonContext.Default.DemandForecast)!).ToList();
        Assert.Equal([E0, E0.AddHours(1), E0.AddHours(2)], forecastsOfB.Select(f => f.Steps[0].PeriodStart));
        Assert.All(forecastsOfB.Skip(1), f => Assert.Null(f.TraceId));
        var alert = JsonSerializer.Deserialize(Assert.Single(records, r => r.Topic == Topics.AlertsAnomalies).Message.Value, ContractsJsonContext.Default.AnomalyAlert)!;
        Assert.Equal(AnomalyKinds.DemandDrop, alert.Kind);
        Assert.Equal("B", alert.Sku);
        // Hour E0 was judged when the sweep forecast B again, on A's notice of the next hour.
        Assert.Equal(E0, alert.WindowStart);
        Assert.Equal(0, alert.Observed);
        Assert.Equal("v0001", alert.ModelVersion);
        Assert.Equal(2, _handler.TrackedSkus);
    }

    [Fact]
    public async Task Handler_UnreadableOrForeignRecords_AreSkipped_TheRestIsForecast()
    {
        using var reader = new TopicReader(_connection.BootstrapServers, Topics.ForecastsDemand);
        await SeedAsync(E0, ("A", Steady(E0)));
        var garbage = Record(Topics.FeaturesUpdated, "sku:X", Encoding.UTF8.GetBytes("{not json"));
        var foreign = Notice("A", E0.AddMinutes(5), schemaHash: "0123456789abcdef");
        var noWindow = Notice("NOWINDOW", E0.AddMinutes(5));

        await HandleAsync(garbage, foreign, noWindow, Notice("A", E0.AddMinutes(6)));

        var records = reader.ReadUntil(r => r.Count >= 1, TimeSpan.FromSeconds(30));
        Assert.Equal("A", Encoding.UTF8.GetString(Assert.Single(records).Message.Key!));
    }

    public Task InitializeAsync() => _connection.EnsureTopicsAsync(InferenceExtensions.TopicsUsed);

    public async Task DisposeAsync()
    {
        await _batcher.DisposeAsync();
        _producer.Dispose();
        _connection.Dispose();
        _metrics.Dispose();
    }

    private async Task HandleAsync(params ConsumeResult<byte[]?, byte[]?>[] batch)
    {
        var output = new OutputBatch(_producer);
        await _handler.HandleAsync(batch, output, CancellationToken.None);
        await output.WhenAcknowledgedAsync(TimeSpan.FromSeconds(30));
    }

    private Task SeedAsync(DateTimeOffset end, params (string Sku, (int[] Units, int[] Lines) Hours)[] skus) =>
        _store.CommitAsync(new PartitionCommit($"g{_offset}", "orders.validated", 0, null, 1, [])
        {
            DemandWindows = skus.Select(s => new DemandWindow(EntityKeys.Sku(s.Sku), end, end.AddMinutes(10), s.Hours.Units, s.Hours.Lines, new int[168])).ToList(),
        });

    private static (int[] Units, int[] Lines) Steady(DateTimeOffset end) => (Enumerable.Repeat(80, 168).ToArray(), Enumerable.Repeat(40, 168).ToArray());

    private static (int[] Units, int[] Lines) Stopped(DateTimeOffset end, DateTimeOffset since)
    {
        var (units, lines) = Steady(end);
        for (var i = 0; i < 168; i++)
        {
            if (end.AddHours(i - 168) >= since)
            {
                units[i] = lines[i] = 0;
            }
        }

        return (units, lines);
    }

    private ConsumeResult<byte[]?, byte[]?> Notice(string sku, DateTimeOffset asOf, string? schemaHash = null) =>
        Record(Topics.FeaturesUpdated, EntityKeys.Sku(sku), JsonSerializer.SerializeToUtf8Bytes(
            new FeaturesUpdated { EntityType = "sku", EntityKey = EntityKeys.Sku(sku), AsOf = asOf, FeatureSchemaHash = schemaHash ?? FeatureSchema.Default.Hash },
            ContractsJsonContext.Default.FeaturesUpdated));

    private ConsumeResult<byte[]?, byte[]?> Record(string topic, string key, byte[] value) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(topic, 0, _offset++),
        Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value, Headers = [] },
    };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
