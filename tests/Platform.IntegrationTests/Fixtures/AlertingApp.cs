using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Alerting;
using Platform.Kafka;
using Platform.ServiceDefaults;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>
/// The real alerting service (same registrations as its Program.cs), in this process: state and delivery in memory, the
/// built-in routing (alerts are tracked and listed, notified to nobody).
/// </summary>
public sealed class AlertingApp : IAsyncDisposable
{
    private AlertingApp(WebApplication app) => App = app;

    public WebApplication App { get; }

    public BatchConsumerHost Consumer => App.Services.GetServices<BatchConsumerHost>().Single();

    /// <param name="configYaml">Routing configuration (Alerting:ConfigYaml); null: the built-in one, which notifies nobody.</param>
    public static async Task<AlertingApp> StartAsync(TestKafka kafka, string group, string? configYaml = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
            ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
            ["Alerting:ApiKey"] = "trace-tests-key-0123456789abcdef",
            ["Alerting:ConsumerGroup"] = group,
            ["Alerting:ConfigYaml"] = configYaml,
        });
        builder.AddServiceDefaults("alerting-test");
        builder.AddAlerting();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapAlerting();
        await app.StartAsync();
        return new AlertingApp(app);
    }

    public static async Task CreateTopicsAsync(TestKafka kafka)
    {
        foreach (var topic in AlertingExtensions.TopicsUsed)
        {
            await kafka.CreateTopicAsync(topic, 2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
