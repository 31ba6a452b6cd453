using Platform.Features;
using Platform.Inference.Scoring;
using Platform.OnlineStore;

namespace Platform.Inference.Pipeline;

/// <summary>
/// Forecasts a set of SKUs: one pipelined read of their features and demand windows (two MGETs sent back to back on one
/// connection, so one round trip), then every SKU with a window through the micro-batcher. A SKU without a window (not
/// sold for the store's TTL, or before the feature store's first flush) or whose row fails is left out and counted.
/// </summary>
internal sealed class SkuForecaster(IOnlineFeatureStore features, IDemandWindowStore windows, MicroBatcher batcher, InferenceMetrics metrics, TimeSpan modelWait)
{
    private static readonly TimeSpan ModelPoll = TimeSpan.FromMilliseconds(50);

    /// <returns>One forecast per SKU, in order; null where none could be made.</returns>
    public async Task<SkuForecast?[]> ForecastAsync(IReadOnlyList<string> skus, CancellationToken ct)
    {
        var results = new SkuForecast?[skus.Count];
        if (skus.Count == 0)
        {
            return results;
        }

        var keys = new string[skus.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = EntityKeys.Sku(skus[i]);
        }

        var readingFeatures = features.GetManyAsync(keys, ct);
        var readingWindows = windows.GetDemandWindowsAsync(keys, ct);
        await Task.WhenAll(readingFeatures, readingWindows);
        var rows = readingFeatures.Result;
        var demand = readingWindows.Result;
        await WaitForModelAsync(ct);

        var requests = new List<ScoringRequest>(skus.Count);
        try
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (demand[i] is not { } window)
                {
                    metrics.Skipped("no_demand_window");
                    continue;
                }

                var request = batcher.Rent();
                request.Window = window.Units;
                request.Origin = window.End.UtcDateTime;
                request.Features = rows[i]?.Values;
                request.Tag = i;
                requests.Add(request);
                await batcher.EnqueueAsync(request, ct);
            }

            foreach (var request in requests)
            {
                try
                {
                    await request.Completion;
                }
                catch (Exception)
                {
                    // Recorded on the request (and counted by the batcher); this SKU gets no forecast this time.
                }

                if (request.Error is null && request.Model is { } model)
                {
                    var i = request.Tag;
                    var horizon = request.Horizon;
                    results[i] = new SkuForecast(skus[i], demand[i]!, rows[i], model.Label,
                        request.P10.AsSpan(0, horizon).ToArray(), request.P50.AsSpan(0, horizon).ToArray(), request.P90.AsSpan(0, horizon).ToArray());
                }
            }
        }
        finally
        {
            foreach (var request in requests)
            {
                if (request.Completion.IsCompleted)
                {
                    batcher.Return(request);
                }
            }
        }

        if (requests.Count > 0 && results.All(r => r is null) && requests[0].Error is NoModelLoadedException none)
        {
            // No model at all is the service's problem, not the SKUs': fail the batch so the consumer retries it.
            throw none;
        }

        return results;
    }

    private async Task WaitForModelAsync(CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        while (batcher.Model is null && waited < modelWait)
        {
            await Task.Delay(ModelPoll, ct);
            waited += ModelPoll;
        }

        if (batcher.Model is null)
        {
            throw new NoModelLoadedException();
        }
    }
}
