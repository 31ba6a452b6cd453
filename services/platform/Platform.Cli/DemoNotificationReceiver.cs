using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Platform.Cli;

/// <summary>
/// Where the demo's alert notifications go when no --webhook is given: a local HTTP endpoint that accepts PagerDuty
/// Events API v2 events as PagerDuty would (202), checks their shape and counts them, so a run shows the on-call
/// hand-off without any outside service.
/// </summary>
internal sealed class DemoNotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _events, _malformed;
    private readonly Dictionary<string, long> _byAction = new(StringComparer.Ordinal);

    private DemoNotificationReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public long Events => Interlocked.Read(ref _events);

    public long Malformed => Interlocked.Read(ref _malformed);

    public IReadOnlyDictionary<string, long> ByAction
    {
        get
        {
            lock (_byAction) return new Dictionary<string, long>(_byAction, StringComparer.Ordinal);
        }
    }

    public static async Task<DemoNotificationReceiver> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new DemoNotificationReceiver(app);
        app.MapPost("/v2/enqueue", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            return receiver.Accept(body.RootElement) ? Results.Accepted() : Results.BadRequest();
        });
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/v2/enqueue";
        return receiver;
    }

    /// <summary>An Events API v2 event: routing_key, event_action and dedup_key; a trigger also needs payload summary, source and severity.</summary>
    private bool Accept(JsonElement e)
    {
        var ok = e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("routing_key", out var key) && key.ValueKind == JsonValueKind.String
            && e.TryGetProperty("dedup_key", out var dedup) && dedup.ValueKind == JsonValueKind.String
            && e.TryGetProperty("event_action", out var action) && action.GetString() is "trigger" or "acknowledge" or "resolve"
            && (action.GetString() != "trigger" || (e.TryGetProperty("payload", out var payload)
                && payload.TryGetProperty("summary", out _) && payload.TryGetProperty("source", out _) && payload.TryGetProperty("severity", out _)));
        if (!ok)
        {
            Interlocked.Increment(ref _malformed);
            return false;
        }

        Interlocked.Increment(ref _events);
        lock (_byAction)
        {
            var name = e.GetProperty("event_action").GetString()!;
            _byAction[name] = _byAction.GetValueOrDefault(name) + 1;
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
