using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Alerting.Tests;

/// <summary>
/// A real HTTP server (Kestrel on a free loopback port) standing in for PagerDuty, Slack or a webhook: records every
/// POST and answers with the statuses scripted for its path (202 once the script is used up).
/// </summary>
public sealed class LocalHttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrivals = new(0);

    private LocalHttpReceiver(WebApplication app) => _app = app;

    public sealed record Received(string Path, string Body, IReadOnlyDictionary<string, string> Headers, int AnsweredWith);

    public string BaseUrl { get; private set; } = "";

    public static async Task<LocalHttpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new LocalHttpReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = http.Request.Path.Value ?? "/";
            var status = receiver._scripts.TryGetValue(path, out var script) && script.TryDequeue(out var scripted) ? scripted : StatusCodes.Status202Accepted;
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver._received.Enqueue(new Received(path, body, headers, status));
            receiver._arrivals.Release();
            return Results.Text("{\"status\":\"success\"}", "application/json", statusCode: status);
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    /// <summary>A fresh path on this receiver, with the statuses its first requests get.</summary>
    public string NewEndpoint(params int[] statuses)
    {
        var path = $"/hook/{Guid.NewGuid():N}";
        _scripts[path] = new ConcurrentQueue<int>(statuses);
        return path;
    }

    public IReadOnlyList<Received> At(string path) => _received.Where(r => r.Path == path).ToList();

    /// <summary>Waits until <paramref name="count"/> requests reached <paramref name="path"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(string path, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (At(path).Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{path} received {At(path).Count} of {count} requests");
            }

            await _arrivals.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }

        return At(path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
