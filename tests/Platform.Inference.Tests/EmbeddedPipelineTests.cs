using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.Features;
using Platform.FeatureStore;
using Platform.Kafka;
using Platform.ServiceDefaults;

namespace Platform.Inference.Tests;

/// <summary>
/// The embedded mode: feature store and inference in one process on the mock cluster and the in-memory store, as the
/// demo runs them. Order lines go in; forecasts come out, made from the demand windows the feature store wrote.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class EmbeddedPipelineTests(TrainedModels models)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Embedded_OrderLinesIn_ForecastsOutFromTheFeatureStoresWindows()
    {
        using var registry = new TestRegistry();
        models.Register(registry.Registry, models.First);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "",
            ["Kafka:DefaultPartitions"] = "2",
            ["FeatureStore:Redis"] = "",
            ["FeatureStore:FlushInterval"] = "00:00:00.100",
            ["Inference:Redis"] = "",
            ["Inference:ModelRegistry"] = registry.Root,
            ["Inference:PreferCuda"] = "false",
            ["Inference:BatchWait"] = "00:00:00.050",
        });
        builder.AddServiceDefaults("embedded-test");
        builder.AddFeatureStore();
        builder.AddInference();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        var connection = app.Services.GetRequiredService<KafkaConnection>();
        await connection.EnsureTopicsAsync(Topics.All);
        await app.StartAsync();

        // Five SKUs selling through three hours of event time: the watermark enters 10:00, so windows end there.
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = connection.BootstrapServers }).Build();
        var skus = Enumerable.Range(0, 5).Select(i => $"E{i}").ToArray();
        for (var minute = 0; minute < 150; minute += 5)
        {
            foreach (var sku in skus)
            {
                var at = T0.AddMinutes(minute);
                var line = new OrderLineValidated
                {
                    LineId = $"{sku}-{minute}:1", OrderId = $"{sku}-{minute}", LineNumber = 1, LineCount = 1, Sku = sku, Quantity = 2,
                    UnitPrice = 5m, Currency = "EUR", Region = "eu", Channel = "web", OccurredAt = at, IngestedAt = at,
                };
                producer.Produce(Topics.OrdersValidated, new Message<byte[]?, byte[]?>
                {
                    Key = Encoding.UTF8.GetBytes(sku),
                    Value = JsonSerializer.SerializeToUtf8Bytes(line, ContractsJsonContext.Default.OrderLineValidated),
                });
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        using var reader = new TopicReader(connection.BootstrapServers, Topics.ForecastsDemand);
        var records = reader.ReadUntil(r => Latest(r).Count == skus.Length && Latest(r).Values.All(f => f.Steps[0].PeriodStart == T0.AddHours(2)), TimeSpan.FromSeconds(60));

        var latest = Latest(records);
        Assert.Equal(skus, latest.Keys.Order());
        Assert.All(latest.Values, forecast =>
        {
            Assert.Equal("v0001", forecast.ModelVersion);
            // The window ends at 10:00 (watermark 10:15): 08:00 and 09:00 held 24 units each.
            Assert.Equal(T0.AddHours(2), forecast.Steps[0].PeriodStart);
            Assert.Equal(T0.AddHours(2).AddMinutes(15), forecast.FeatureAsOf);
            Assert.Equal(TrainedModels.Horizon, forecast.Steps.Count);
        });
        var window = (await app.Services.GetRequiredService<Platform.OnlineStore.InMemoryOnlineStore>().GetDemandWindowsAsync([EntityKeys.Sku("E0")]))[0]!;
        Assert.Equal([24, 24], window.Units[^2..]);
        Assert.Equal(models.First.Predict([new Forecasting.TimeSeries("E0", T0.AddHours(-166).UtcDateTime, TimeSpan.FromHours(1), window.Units.Select(u => (double)u).ToArray())])[0].P50[0],
            latest["E0"].Steps[0].P50, 1e-4 * Math.Max(1, latest["E0"].Steps[0].P50));
        await app.StopAsync();
    }

    private static Dictionary<string, DemandForecast> Latest(IEnumerable<ConsumeResult<byte[]?, byte[]?>> records)
    {
        var latest = new Dictionary<string, DemandForecast>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var forecast = JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.DemandForecast)!;
            latest[forecast.Sku] = forecast;
        }

        return latest;
    }
}
