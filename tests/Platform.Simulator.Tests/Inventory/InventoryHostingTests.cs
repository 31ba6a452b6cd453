using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.Kafka;
using Platform.Simulator.Inventory;

namespace Platform.Simulator.Tests.Inventory;

public sealed class InventoryHostingTests
{
    [Fact]
    public async Task Hosting_AddInventorySimulation_StartsAndStopsWithTheApplication()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // No brokers configured: the connection starts librdkafka's mock cluster in this process (the embedded mode).
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = "", ["Kafka:DefaultPartitions"] = "2" });
        builder.Services.AddKafka(builder.Configuration);
        builder.Services.AddInventorySimulation(new InventoryOptions { ConsumerGroup = $"inventory-{Guid.NewGuid():N}" });
        using var host = builder.Build();
        await host.Services.GetRequiredService<KafkaConnection>().EnsureTopicsAsync(Topics.All);
        await host.StartAsync();

        var forecast = new DemandForecast
        {
            Sku = "A",
            FeatureAsOf = DemandScenario.Start,
            Steps = [new ForecastStep { Step = 1, PeriodStart = DemandScenario.Start, P10 = 1, P50 = 2, P90 = 3 }],
        };
        await host.Services.GetRequiredService<PlatformProducer>().ProduceAsync(Topics.ForecastsDemand, new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes("A"),
            Value = JsonSerializer.SerializeToUtf8Bytes(forecast, ContractsJsonContext.Default.DemandForecast),
        });
        var service = host.Services.GetRequiredService<InventoryService>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (service.Book.Snapshot().LevelsPublished == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await host.StopAsync();
        var report = service.Book.Snapshot();
        Assert.Equal(1, report.SkusTracked);
        Assert.Equal(1, report.LevelsPublished);
        Assert.Null(service.Consumer.Fault);
    }
}
