using Microsoft.Extensions.Logging.Abstractions;
using Platform.Forecasting.Onnx;
using Platform.Inference.Pipeline;
using Platform.Inference.Scoring;
using Platform.OnlineStore;
using Platform.Testing;
using StackExchange.Redis;

namespace Platform.Inference.Tests;

/// <summary>Feature assembly from a real Redis: windows and rows written as the feature store writes them, read back in one round trip.</summary>
[Collection(RedisCollection.Name)]
public sealed class SkuForecasterTests(RedisFixture redis, TrainedModels models)
{
    [Fact]
    public async Task Forecaster_ReadsWindowsAndFeaturesFromRedisInOnePipelinedRead_AndForecastsEachSku()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var store = new RedisOnlineStore(redis.Connection);
        await StoreSeeding.SeedAsync(store, models, [($"A-{run}", 0), ($"B-{run}", 5)], $"g-{run}");
        using var registry = new TestRegistry();
        using var metrics = new InferenceMetrics();
        await using var batcher = new MicroBatcher(new MicroBatcherOptions { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(1) }, metrics);
        batcher.Publish(ServingModel.Load(models.Register(registry.Registry, models.First), new OnnxForecasterOptions()));
        // A connection of the reader's own, as the service has, so that its commands can be counted.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var reader = new RedisOnlineStore(connection);
        var forecaster = new SkuForecaster(reader, reader, batcher, metrics, TimeSpan.FromSeconds(5));
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        // The first read of a process also fetches the feature rows' layout, once (RedisOnlineStore caches it): count a later read.
        await forecaster.ForecastAsync([$"A-{run}"], CancellationToken.None);
        var before = await CommandCountsAsync(server);

        var forecasts = await forecaster.ForecastAsync([$"A-{run}", $"missing-{run}", $"B-{run}"], CancellationToken.None);

        var after = await CommandCountsAsync(server);
        Assert.Equal(2, after.GetValueOrDefault("mget") - before.GetValueOrDefault("mget"));
        Assert.Equal(0, after.GetValueOrDefault("hgetall") - before.GetValueOrDefault("hgetall"));
        // Only the SKU without a row is looked for again, in its hash (the store's fallback for rows older than their featp: copy).
        Assert.Equal(1, after.GetValueOrDefault("hget") - before.GetValueOrDefault("hget"));
        Assert.Null(forecasts[1]);
        var expected = models.First.Predict([models.History[0], models.History[5]]);
        foreach (var (forecast, want) in new[] { (forecasts[0]!, expected[0]), (forecasts[2]!, expected[1]) })
        {
            Assert.Equal("v0001", forecast.ModelVersion);
            Assert.Equal(new DateTimeOffset(models.Origin(forecast.Sku.StartsWith('A') ? 0 : 5), TimeSpan.Zero), forecast.Origin);
            Assert.NotNull(forecast.Features);
            for (var h = 0; h < TrainedModels.Horizon; h++)
            {
                Assert.Equal(want.P50[h], forecast.P50[h], 1e-4 * Math.Max(1, want.P50[h]));
                Assert.Equal(want.P90[h], forecast.P90[h], 1e-4 * Math.Max(1, want.P90[h]));
            }
        }
    }

    [Fact]
    public async Task Forecaster_NoModelEverLoaded_FailsTheBatchRatherThanDroppingItsSkus()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var store = new RedisOnlineStore(redis.Connection);
        await StoreSeeding.SeedAsync(store, models, [($"A-{run}", 0)], $"g-{run}");
        using var metrics = new InferenceMetrics();
        await using var batcher = new MicroBatcher(new MicroBatcherOptions(), metrics);
        var forecaster = new SkuForecaster(store, store, batcher, metrics, TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<NoModelLoadedException>(() => forecaster.ForecastAsync([$"A-{run}"], CancellationToken.None));
    }

    private static async Task<Dictionary<string, long>> CommandCountsAsync(IServer server)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in await server.InfoAsync("commandstats"))
        {
            foreach (var (key, value) in group)
            {
                // cmdstat_mget: calls=3,usec=...
                if (key.StartsWith("cmdstat_", StringComparison.Ordinal))
                {
                    var calls = value.Split(',')[0].Split('=')[1];
                    counts[key["cmdstat_".Length..]] = long.Parse(calls, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return counts;
    }
}
