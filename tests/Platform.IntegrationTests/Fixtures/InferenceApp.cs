using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Inference;
using Platform.Kafka;
using Platform.ServiceDefaults;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>The real inference service (same registrations as its Program.cs), in this process, on the CPU.</summary>
public sealed class InferenceApp : IAsyncDisposable
{
    private InferenceApp(WebApplication app) => App = app;

    public WebApplication App { get; }

    public BatchConsumerHost Consumer => App.Services.GetServices<BatchConsumerHost>().Single();

    /// <param name="kafka">The test's broker.</param>
    /// <param name="redis">The online store the feature store writes.</param>
    /// <param name="registry">Model registry folder.</param>
    /// <param name="group">Consumer group of this test's own.</param>
    public static async Task<InferenceApp> StartAsync(TestKafka kafka, string redis, string registry, string group)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
            ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
            ["Inference:Redis"] = redis,
            ["Inference:ModelRegistry"] = registry,
            ["Inference:ConsumerGroup"] = group,
            ["Inference:PreferCuda"] = "false",
            ["Inference:BatchWait"] = "00:00:00.050",
        });
        builder.AddServiceDefaults("inference-test");
        builder.AddInference();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapInference();
        await app.StartAsync();
        return new InferenceApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
