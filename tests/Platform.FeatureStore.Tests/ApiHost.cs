using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Features;
using Platform.OnlineStore;

namespace Platform.FeatureStore.Tests;

/// <summary>A clock that moves only when told.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _elapsedTicks;

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(Volatile.Read(ref _elapsedTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _elapsedTicks, by.Ticks);
}

/// <summary>Counts the calls that reach the wrapped store.</summary>
public sealed class CountingStore(IOnlineFeatureStore inner) : IOnlineFeatureStore
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public List<IReadOnlyList<string>> Requests { get; } = [];

    public Task<IReadOnlyList<OnlineFeatures?>> GetManyAsync(IReadOnlyList<string> entityKeys, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _calls);
        lock (Requests)
        {
            Requests.Add(entityKeys.ToArray());
        }

        return inner.GetManyAsync(entityKeys, ct);
    }
}

/// <summary>
/// A real minimal WebApplication on an in-process TestServer: an in-memory store behind a call counter, the default
/// schema, the features API and the OpenAPI document, wired as the service's Program does.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private long _nextPartition;

    private ApiHost(WebApplication app, InMemoryOnlineStore store, CountingStore counting, ManualTimeProvider time)
    {
        _app = app;
        Store = store;
        Counting = counting;
        Time = time;
        Client = app.GetTestClient();
    }

    public InMemoryOnlineStore Store { get; }

    public CountingStore Counting { get; }

    public ManualTimeProvider Time { get; }

    public HttpClient Client { get; }

    public static async Task<ApiHost> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryOnlineStore(time: time);
        var counting = new CountingStore(store);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddFeaturesApi();
        builder.Services.AddSingleton(FeatureSchema.Default);
        builder.Services.AddSingleton<IOnlineFeatureStore>(counting);
        builder.Services.AddSingleton<TimeProvider>(time);
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapOpenApi();
        app.MapFeaturesApi();
        await app.StartAsync();
        return new ApiHost(app, store, counting, time);
    }

    /// <summary>Writes rows through the state store's commit, as the streaming job does.</summary>
    public Task SeedAsync(params FeatureRow[] rows)
    {
        var partition = (int)Interlocked.Increment(ref _nextPartition);
        return Store.CommitAsync(new PartitionCommit("features", "orders.validated", partition, null, 1, []) { Features = rows });
    }

    public static FeatureRow Row(string entityKey, DateTimeOffset eventTime, params (string Name, double Value)[] values) =>
        new(entityKey, eventTime, FeatureSchema.Default.Hash, values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
