using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults;

namespace Platform.Inference.Tests;

/// <summary>The real inference service (the registrations of its Program.cs) in this process.</summary>
internal sealed class InferenceApp : IAsyncDisposable
{
    private InferenceApp(WebApplication app) => App = app;

    public WebApplication App { get; }

    public string Url => App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<InferenceApp> StartAsync(string bootstrap, string redis, string registry, string group)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
            ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
            ["Inference:Redis"] = redis,
            ["Inference:ModelRegistry"] = registry,
            ["Inference:ConsumerGroup"] = group,
            ["Inference:ModelPollInterval"] = "00:00:00.200",
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
