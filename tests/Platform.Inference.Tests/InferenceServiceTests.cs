using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.Features;
using Platform.Kafka;
using Platform.OnlineStore;
using Platform.Testing;

namespace Platform.Inference.Tests;

/// <summary>The service end to end on the Kafka-protocol mock cluster and a real Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class InferenceServiceTests(RedisFixture redis, TrainedModels models)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Service_FeaturesUpdatedIn_ForecastsOutForTheRightSkusAndVersion_ThenTheNextVersionAfterAReload()
    {
        using var kafka = new MockKafkaCluster(brokerCount: 1);
        foreach (var topic in InferenceExtensions.TopicsUsed)
        {
            kafka.CreateTopic(topic, 3);
        }

        var run = Guid.NewGuid().ToString("N")[..8];
        var skus = Enumerable.Range(0, models.History.Count).Select(i => ($"S{i}-{run}", i)).ToArray();
        var asOf = new DateTimeOffset(models.Origin(0), TimeSpan.Zero).AddMinutes(7);
        await StoreSeeding.SeedAsync(new RedisOnlineStore(redis.Connection), models, skus, $"g-{run}", asOf);
        using var registry = new TestRegistry();
        models.Register(registry.Registry, models.First);
        await using var app = await InferenceApp.StartAsync(kafka.BootstrapServers, redis.Configuration, registry.Root, $"inference-{run}");
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        using var forecasts = new TopicReader(kafka.BootstrapServers, Topics.ForecastsDemand);

        foreach (var (sku, _) in skus)
        {
            Notify(producer, sku, asOf, FeatureSchema.Default.Hash);
        }

        // A notice from another feature schema is not forecast; a category notice is not a SKU's.
        Notify(producer, $"other-schema-{run}", asOf, "0123456789abcdef");
        producer.Produce(Topics.FeaturesUpdated, Message($"category:toys", new FeaturesUpdated { EntityType = "category", EntityKey = "category:toys", AsOf = asOf, FeatureSchemaHash = FeatureSchema.Default.Hash }));
        producer.Flush(Timeout);

        var first = Forecasts(forecasts.ReadUntil(r => Forecasts(r).Select(f => f.Sku).Distinct().Count() >= skus.Length, Timeout));
        Assert.Equal(skus.Select(s => s.Item1).Order(), first.Select(f => f.Sku).Distinct().Order());
        var expected = models.First.Predict(models.History);
        foreach (var forecast in first)
        {
            var series = skus.Single(s => s.Item1 == forecast.Sku).Item2;
            Assert.Equal("v0001", forecast.ModelVersion);
            Assert.Equal(asOf, forecast.FeatureAsOf);
            Assert.Equal(TrainedModels.Horizon, forecast.Steps.Count);
            Assert.Equal(new DateTimeOffset(models.Origin(series), TimeSpan.Zero), forecast.Steps[0].PeriodStart);
            Assert.Equal(expected[series].P50[3], forecast.Steps[3].P50, 1e-4 * Math.Max(1, forecast.Steps[3].P50));
            Assert.All(forecast.Steps, s => Assert.True(s.P10 <= s.P50 && s.P50 <= s.P90));
        }

        using var http = new HttpClient { BaseAddress = new Uri(app.Url) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        // A new version is picked up without a restart; the next notices are forecast by it.
        models.Register(registry.Registry, models.Second);
        var deadline = DateTime.UtcNow + Timeout;
        while (!(await http.GetStringAsync("/inference/model")).Contains("\"version\":\"v0002\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var before = forecasts.Records.Count;
        foreach (var (sku, _) in skus)
        {
            Notify(producer, sku, asOf, FeatureSchema.Default.Hash);
        }

        producer.Flush(Timeout);
        var second = Forecasts(forecasts.ReadUntil(r => Forecasts(r.Skip(before)).Count >= skus.Length, Timeout).Skip(before));
        Assert.Equal(skus.Length, second.Count);
        Assert.All(second, f => Assert.Equal("v0002", f.ModelVersion));
        Assert.DoesNotContain(Forecasts(forecasts.Records), f => f.Sku == $"other-schema-{run}");
    }

    [Fact]
    public async Task Service_StockBelowTheLeadTimesP90Demand_RaisesAStockoutAlert()
    {
        using var kafka = new MockKafkaCluster(brokerCount: 1);
        foreach (var topic in InferenceExtensions.TopicsUsed)
        {
            kafka.CreateTopic(topic, 3);
        }

        var run = Guid.NewGuid().ToString("N")[..8];
        var sku = $"STOCK-{run}";
        await StoreSeeding.SeedAsync(new RedisOnlineStore(redis.Connection), models, [(sku, 11)], $"g-{run}");
        using var registry = new TestRegistry();
        models.Register(registry.Registry, models.First);
        await using var app = await InferenceApp.StartAsync(kafka.BootstrapServers, redis.Configuration, registry.Root, $"inference-{run}");
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        using var alerts = new TopicReader(kafka.BootstrapServers, Topics.AlertsAnomalies);

        var level = new InventoryLevel { Sku = sku, OnHand = 1, OnOrder = 100, LeadTimeHours = 12, AsOf = DateTimeOffset.UtcNow };
        producer.Produce(Topics.InventoryLevels, new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(sku),
            Value = JsonSerializer.SerializeToUtf8Bytes(level, ContractsJsonContext.Default.InventoryLevel),
        });
        producer.Flush(Timeout);

        var read = alerts.ReadUntil(r => r.Count >= 1, Timeout).Select(r => JsonSerializer.Deserialize(r.Message.Value, ContractsJsonContext.Default.AnomalyAlert)!).ToList();
        var alert = Assert.Single(read);
        Assert.Equal(AnomalyKinds.StockoutRisk, alert.Kind);
        Assert.Equal(sku, alert.Sku);
        Assert.Equal("v0001", alert.ModelVersion);
        Assert.Equal(1, alert.Observed);
        Assert.InRange(alert.Score, 0.5, 1);
        Assert.Equal("critical", alert.Severity);
        Assert.True(alert.ExpectedP10 <= alert.ExpectedP50 && alert.ExpectedP50 <= alert.ExpectedP90 && alert.ExpectedP90 > 1);
        Assert.Equal(alert.WindowStart.AddHours(12), alert.WindowEnd);
    }

    private static void Notify(IProducer<byte[]?, byte[]?> producer, string sku, DateTimeOffset asOf, string schemaHash) =>
        producer.Produce(Topics.FeaturesUpdated, Message(EntityKeys.Sku(sku), new FeaturesUpdated
        {
            EntityType = "sku", EntityKey = EntityKeys.Sku(sku), AsOf = asOf, Changed = ["qty_1h"], FeatureSchemaHash = schemaHash,
        }));

    private static Message<byte[]?, byte[]?> Message(string key, FeaturesUpdated notice) => new()
    {
        Key = Encoding.UTF8.GetBytes(key),
        Value = JsonSerializer.SerializeToUtf8Bytes(notice, ContractsJsonContext.Default.FeaturesUpdated),
    };

    private static List<DemandForecast> Forecasts(IEnumerable<ConsumeResult<byte[]?, byte[]?>> records) =>
        records.Select(r => JsonSerializer.Deserialize(r.Message.Value, ContractsJsonContext.Default.DemandForecast)!).ToList();
}
