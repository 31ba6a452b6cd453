using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.FeatureStore;
using Platform.Kafka;
using Platform.ServiceDefaults;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>The real feature-store service (same registrations as its Program.cs), in this process.</summary>
public sealed class FeatureStoreApp : IAsyncDisposable
{
    private FeatureStoreApp(WebApplication app) => App = app;

    public WebApplication App { get; }

    public static async Task<FeatureStoreApp> StartAsync(TestKafka kafka, string redis, string group, int maxLinesPerFlush = 500)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
            ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
            ["FeatureStore:Redis"] = redis,
            ["FeatureStore:ConsumerGroup"] = group,
            ["FeatureStore:MaxLinesPerFlush"] = maxLinesPerFlush.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FeatureStore:FlushInterval"] = "00:00:00.200",
        });
        builder.AddServiceDefaults("feature-store-test");
        builder.AddFeatureStore();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapFeatureStore();
        await app.StartAsync();
        return new FeatureStoreApp(app);
    }

    public static async Task CreateTopicsAsync(TestKafka kafka)
    {
        await kafka.CreateTopicAsync(Topics.OrdersValidated, 6);
        await kafka.CreateTopicAsync(Topics.OrdersLate, 2);
        await kafka.CreateTopicAsync(Topics.FeatureCategoryLines, 3);
        await kafka.CreateTopicAsync(Topics.FeaturesUpdated, 3);
    }

    public IReadOnlyList<BatchConsumerHost> Consumers => App.Services.GetServices<BatchConsumerHost>().ToList();

    public async Task StopAsync() => await App.StopAsync();

    /// <summary>Stops, then disposes, as a host run by app.Run() does at SIGTERM.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
