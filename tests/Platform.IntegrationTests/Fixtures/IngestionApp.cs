using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.Ingestion;
using Platform.Ingestion.Dedup;
using Platform.Kafka;
using Platform.ServiceDefaults;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>The real ingestion service (same registrations as its Program.cs), in this process, on a free port.</summary>
public sealed class IngestionApp : IAsyncDisposable
{
    public const string CustomerHashKey = "dGVzdC1vbmx5LWN1c3RvbWVyLWhhc2gta2V5LTEyMzQ=";

    private IngestionApp(WebApplication app) => App = app;

    public WebApplication App { get; }

    public BatchConsumerHost Consumer => App.Services.GetServices<BatchConsumerHost>().Single();

    public IngestionMetrics Metrics => App.Services.GetRequiredService<IngestionMetrics>();

    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<IngestionApp> StartAsync(
        TestKafka kafka, string? redis, string group = "ingestion",
        Func<IOrderDedupStore, IOrderDedupStore>? wrapDedup = null, int maxAttempts = 8, int maxBatchSize = 200)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Ingestion:CustomerHashKey"] = CustomerHashKey,
            ["Ingestion:Redis"] = redis ?? "",
            ["Ingestion:ConsumerGroup"] = group,
            ["Ingestion:Consumer:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingestion:Consumer:MaxBatchSize"] = maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Quick group moves keep rebalance tests short.
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
            ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
        });
        builder.AddServiceDefaults("ingestion-test");
        builder.AddIngestion();
        if (wrapDedup is not null)
        {
            var inner = builder.Services.Last(d => d.ServiceType == typeof(IOrderDedupStore));
            builder.Services.AddSingleton(sp => wrapDedup((IOrderDedupStore)inner.ImplementationFactory!(sp)));
        }

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapIngestion();
        await app.StartAsync();
        return new IngestionApp(app);
    }

    public static async Task CreateTopicsAsync(TestKafka kafka)
    {
        await kafka.CreateTopicAsync(Topics.OrdersRaw, 4);
        await kafka.CreateTopicAsync(Topics.OrdersValidated, 6);
        await kafka.CreateTopicAsync(Topics.OrdersRejected, 2);
    }

    public async Task StopAsync() => await App.StopAsync();

    /// <summary>Stops, then disposes, as a host run by app.Run() does at SIGTERM.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
