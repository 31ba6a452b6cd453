using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Kafka;
using Platform.Simulator.Inventory;

namespace Platform.Simulator.Tests.Inventory;

/// <summary>The service on librdkafka's mock cluster (the Kafka protocol over loopback).</summary>
public sealed class InventoryServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T0 = DemandScenario.Start;

    private static DemandForecast Flat(string sku) => new()
    {
        Sku = sku,
        FeatureAsOf = T0,
        StepUnit = "hour",
        Steps = Enumerable.Range(0, 24).Select(h => new ForecastStep { Step = h + 1, PeriodStart = T0.AddHours(h), P10 = 1, P50 = 2, P90 = 3 }).ToList(),
    };

    private static OrderLineValidated Line(string id, string sku, int quantity, DateTimeOffset at) =>
        new() { LineId = id, OrderId = id, LineNumber = 1, LineCount = 1, Sku = sku, Quantity = quantity, OccurredAt = at, Region = "uk", Channel = "web", Currency = "GBP" };

    [Fact]
    public async Task Service_ForecastsAndSalesIn_LevelsOutKeyedBySku_ThrottledExceptBelowTheLine()
    {
        using var kafka = new MockKafkaCluster(brokerCount: 1);
        foreach (var topic in (string[])[Topics.ForecastsDemand, Topics.OrdersValidated, Topics.InventoryLevels])
        {
            kafka.CreateTopic(topic, 3);
        }

        var kafkaOptions = Options.Create(new KafkaOptions { BootstrapServers = kafka.BootstrapServers });
        using var connection = new KafkaConnection(kafkaOptions, NullLogger<KafkaConnection>.Instance);
        using var producer = new PlatformProducer(connection, kafkaOptions, NullLogger<PlatformProducer>.Instance);
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var options = new InventoryOptions { Seed = 1, MinLeadTimeHours = 6, MaxLeadTimeHours = 6, DelayedSupplierShare = 0, ConsumerGroup = $"inventory-{Guid.NewGuid():N}" };
        await using var service = new InventoryService(options, connection, producer, kafkaOptions, lifetime, NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        using var input = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        using var levels = new LevelReader(kafka.BootstrapServers);

        void Send<T>(string topic, string key, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
            input.Produce(topic, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = JsonSerializer.SerializeToUtf8Bytes(value, type) });

        // 1. First forecasts stock A and B (39 each: see InventoryBookTests) and publish them.
        Send(Topics.ForecastsDemand, "A", Flat("A"), ContractsJsonContext.Default.DemandForecast);
        Send(Topics.ForecastsDemand, "B", Flat("B"), ContractsJsonContext.Default.DemandForecast);
        input.Flush(Timeout);
        var first = levels.ReadUntil(l => l.Count >= 2, Timeout);
        Assert.Equal(["A", "B"], first.Select(l => l.Key).Order());
        Assert.All(first, l => Assert.Equal((l.Key, 39.0, 0.0, 6.0, T0), (l.Level.Sku, l.Level.OnHand, l.Level.OnOrder, l.Level.LeadTimeHours, l.Level.AsOf)));

        // 2. A sells 2 (within the hour: throttled), B sells 25 (below its line of 18: published at once). Garbage is skipped.
        Send(Topics.OrdersValidated, "A", Line("o1:1", "A", 2, T0.AddMinutes(10)), ContractsJsonContext.Default.OrderLineValidated);
        Send(Topics.OrdersValidated, "B", Line("o2:1", "B", 25, T0.AddMinutes(20)), ContractsJsonContext.Default.OrderLineValidated);
        input.Produce(Topics.OrdersValidated, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes("A"), Value = "{not json"u8.ToArray() });
        input.Flush(Timeout);
        var afterSales = levels.ReadUntil(l => l.Count >= 3, Timeout);
        Assert.Equal(("B", 14.0, 0.0, T0.AddMinutes(20)), (afterSales[2].Key, afterSales[2].Level.OnHand, afterSales[2].Level.OnOrder, afterSales[2].Level.AsOf));

        // 3. Past the 01:00 review (A orders 2, B orders 25), A sells 1 more: A's hour is up, so A goes out; B is throttled.
        Send(Topics.OrdersValidated, "A", Line("o3:1", "A", 1, T0.AddMinutes(65)), ContractsJsonContext.Default.OrderLineValidated);
        input.Flush(Timeout);

        var all = levels.ReadUntil(l => l.Count >= 4, Timeout);
        Assert.Equal(4, all.Count);
        Assert.Equal(("A", 36.0, 2.0, T0.AddMinutes(65)), (all[3].Key, all[3].Level.OnHand, all[3].Level.OnOrder, all[3].Level.AsOf));

        await service.StopAsync(CancellationToken.None);
        Assert.Null(service.Consumer.Fault);
        var report = service.Book.Snapshot();
        Assert.Equal(4, report.LevelsPublished);
        Assert.Equal(1, report.Rejected[InventoryRejections.Unreadable]);
        Assert.Equal(2, report.ReplenishmentOrders);
        Assert.Equal(28, report.UnitsSold);
        Assert.Equal("B", Assert.Single(report.Incidents).Sku);
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
    }
}
