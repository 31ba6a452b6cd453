using System.Diagnostics;
using Platform.Features;
using Platform.OnlineStore;
using Platform.Simulator;

namespace Platform.Cli;

/// <summary>
/// Reads 100 entities (random SKUs of the catalog, popular or not) from the online store every 50 ms while the demo runs,
/// as an inference pod would, and keeps the latencies: the demo reports their 99th percentile.
/// </summary>
public sealed class OnlineReadProbe(IOnlineFeatureStore store, Catalog catalog)
{
    private const int EntitiesPerRead = 100;
    private readonly List<double> _milliseconds = [];

    public long Reads => _milliseconds.Count;

    public double P99Milliseconds
    {
        get
        {
            if (_milliseconds.Count == 0)
            {
                return 0;
            }

            var sorted = _milliseconds.Order().ToList();
            return sorted[(int)Math.Ceiling(0.99 * sorted.Count) - 1];
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var random = new Random(1);
        var keys = new string[EntitiesPerRead];
        while (!ct.IsCancellationRequested)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = EntityKeys.Sku(catalog.Items[random.Next(catalog.Items.Count)].Sku);
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await store.GetManyAsync(keys, ct);
                _milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await Task.Delay(50, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
