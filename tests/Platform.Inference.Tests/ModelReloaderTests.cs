using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Features;
using Platform.Forecasting.Onnx;
using Platform.Inference.Models;
using Platform.Inference.Scoring;

namespace Platform.Inference.Tests;

[Collection(ModelCollection.Name)]
public sealed class ModelReloaderTests(TrainedModels models) : IAsyncLifetime, IDisposable
{
    private readonly TestRegistry _registry = new();
    private readonly InferenceMetrics _metrics = new();
    private MicroBatcher _batcher = null!;
    private MutableOptions<InferenceOptions> _options = null!;
    private ModelReloader _reloader = null!;

    [Fact]
    public async Task Reloader_NewVersionRegistered_ServesItFromTheNextBatch()
    {
        models.Register(_registry.Registry, models.First);
        Assert.Equal(1, _reloader.CheckNow());
        Assert.Equal("v0001", (await ScoreAsync(0)).Model!.Label);

        models.Register(_registry.Registry, models.Second);
        Assert.Equal(2, _reloader.CheckNow());

        var scored = await ScoreAsync(0);
        Assert.Equal("v0002", scored.Model!.Label);
        Assert.Equal(models.Second.Predict([models.History[0]])[0].P50[0], scored.P50[0], 1e-4 * Math.Max(1, scored.P50[0]));
    }

    [Fact]
    public async Task Reloader_VersionOfAnotherFeatureSchema_IsRefused_TheOldOneKeepsServing()
    {
        models.Register(_registry.Registry, models.First);
        _reloader.CheckNow();
        models.Register(_registry.Registry, models.Second, schemaHash: "0123456789abcdef");

        Assert.Equal(1, _reloader.CheckNow());
        Assert.Equal(1, _reloader.CheckNow());

        Assert.Equal("v0001", (await ScoreAsync(0)).Model!.Label);
        Assert.Equal("feature_schema_mismatch", _reloader.Refusals[2]);
        // Refused once, not once per poll.
        Assert.Equal(1, _metrics.ModelsRefused);
    }

    [Fact]
    public async Task Reloader_OnlyAMismatchedVersionAtStart_ServesNothing_ThenTheFirstGoodVersion()
    {
        models.Register(_registry.Registry, models.First, schemaHash: "0123456789abcdef");
        Assert.Null(_reloader.CheckNow());
        var request = await EnqueueAsync(0);
        await Assert.ThrowsAsync<NoModelLoadedException>(async () => await request.Completion);

        models.Register(_registry.Registry, models.Second);
        Assert.Equal(2, _reloader.CheckNow());
    }

    [Fact]
    public async Task Reloader_PinnedVersion_RollsBack_AndUnpinningServesTheNewestAgain()
    {
        models.Register(_registry.Registry, models.First);
        models.Register(_registry.Registry, models.Second);
        Assert.Equal(2, _reloader.CheckNow());

        _options.CurrentValue = Options(pinned: 1);
        Assert.Equal(1, _reloader.CheckNow());
        Assert.Equal("v0001", (await ScoreAsync(3)).Model!.Label);

        // A pin to a version that is not there changes nothing.
        _options.CurrentValue = Options(pinned: 7);
        Assert.Equal(1, _reloader.CheckNow());
        Assert.Equal("not_found", _reloader.Refusals[7]);

        _options.CurrentValue = Options(pinned: null);
        Assert.Equal(2, _reloader.CheckNow());
        Assert.Equal("v0002", (await ScoreAsync(3)).Model!.Label);
    }

    [Fact]
    public void Reloader_ModelNeedingMoreHoursThanTheWindowHolds_IsRefused()
    {
        models.Register(_registry.Registry, models.First);
        var options = Options(pinned: null);
        options.DemandWindowHours = 48;
        _options.CurrentValue = options;

        Assert.Null(_reloader.CheckNow());
        Assert.Equal("window_too_short", _reloader.Refusals[1]);
    }

    [Fact]
    public async Task Reloader_ExportsTheVersionAndTheExecutionProvider()
    {
        // Measurements arrive from the batcher's thread too: collect them thread-safely and assert on a snapshot.
        var measured = new System.Collections.Concurrent.ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's metrics: other tests running in parallel own meters of the same name.
            if (!ReferenceEquals(instrument.Meter, _metrics.Meter)) return;
            l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measured.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measured.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        models.Register(_registry.Registry, models.First);
        _reloader.CheckNow();
        await ScoreAsync(1);

        // The batcher records a batch's size after it has handed the results back: give it a moment.
        for (var waited = 0; waited < 100 && !measured.Any(m => m.Instrument == "platform.inference.batch_size"); waited++)
        {
            await Task.Delay(50);
        }

        listener.RecordObservableInstruments();
        var seen = measured.ToArray();

        var version = Assert.Single(seen, s => s.Instrument == "platform.inference.model.version");
        Assert.Equal(1, version.Value);
        Assert.Equal(OnnxQuantileForecaster.CpuProvider, version.Tags["execution_provider"]);
        Assert.Contains(seen, s => s.Instrument == "platform.inference.execution_provider" && (string?)s.Tags["execution_provider"] == OnnxQuantileForecaster.CpuProvider);
        Assert.Contains(seen, s => s.Instrument == "platform.inference.batch_size" && s.Value == 1);
        Assert.Contains(seen, s => s.Instrument == "platform.inference.model.loads" && (string?)s.Tags["outcome"] == "loaded");
    }

    [Fact]
    public async Task HotReload_UnderLoad_EveryForecastHasExactlyOneVersion_NoneLostOrDoubled()
    {
        models.Register(_registry.Registry, models.First);
        _reloader.CheckNow();
        var expected = new Dictionary<string, double[]>
        {
            ["v0001"] = models.First.Predict(models.History).Select(f => f.P50[0]).ToArray(),
            ["v0002"] = models.Second.Predict(models.History).Select(f => f.P50[0]).ToArray(),
        };

        const int total = 4000;
        var completions = new int[total];
        var labels = new string?[total];
        var firstHalfDone = new TaskCompletionSource();
        var load = Task.Run(async () =>
        {
            var inFlight = new Queue<(int Index, ScoringRequest Request)>();
            for (var i = 0; i < total; i++)
            {
                var request = _batcher.Rent();
                request.Window = models.Window(i % models.History.Count);
                request.Origin = models.Origin(i % models.History.Count);
                request.Tag = i;
                await _batcher.EnqueueAsync(request);
                inFlight.Enqueue((i, request));
                if (inFlight.Count >= 64)
                {
                    await DrainOneAsync(inFlight.Dequeue());
                }

                if (i == total / 2)
                {
                    firstHalfDone.TrySetResult();
                }
            }

            while (inFlight.Count > 0)
            {
                await DrainOneAsync(inFlight.Dequeue());
            }
        });

        async Task DrainOneAsync((int Index, ScoringRequest Request) item)
        {
            await item.Request.Completion;
            Interlocked.Increment(ref completions[item.Index]);
            labels[item.Index] = item.Request.Model!.Label;
            var series = item.Request.Tag % models.History.Count;
            Assert.Equal(expected[labels[item.Index]!][series], item.Request.P50[0], 1e-4 * Math.Max(1, item.Request.P50[0]));
            _batcher.Return(item.Request);
        }

        // A new version is registered and picked up while rows keep coming.
        await firstHalfDone.Task;
        models.Register(_registry.Registry, models.Second);
        Assert.Equal(2, _reloader.CheckNow());
        await load;

        Assert.All(completions, c => Assert.Equal(1, c));
        Assert.All(labels, l => Assert.True(l is "v0001" or "v0002", l));
        // The switch happens once, between two batches: every row after the first v0002 row is v0002 too.
        var firstNew = Array.IndexOf(labels, "v0002");
        Assert.True(firstNew > 0, "the new version served no row");
        Assert.All(labels[firstNew..], l => Assert.Equal("v0002", l));
    }

    public Task InitializeAsync()
    {
        _batcher = new MicroBatcher(new MicroBatcherOptions { MaxBatchSize = 32, MaxQueueDelay = TimeSpan.FromMilliseconds(1) }, _metrics);
        _options = new MutableOptions<InferenceOptions>(Options(pinned: null));
        _reloader = new ModelReloader(_options, _batcher, _metrics, new ExpectedFeatureSchema(FeatureSchema.Default.Hash), NullLogger<ModelReloader>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _reloader.Dispose();
        await _batcher.DisposeAsync();
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _registry.Dispose();
    }

    private InferenceOptions Options(int? pinned) => new()
    {
        ModelRegistry = _registry.Root,
        ModelVersion = pinned,
        PreferCuda = false,
        MaxBatchSize = 32,
    };

    private async Task<ScoringRequest> EnqueueAsync(int series)
    {
        var request = _batcher.Rent();
        request.Window = models.Window(series);
        request.Origin = models.Origin(series);
        await _batcher.EnqueueAsync(request);
        return request;
    }

    private async Task<ScoringRequest> ScoreAsync(int series)
    {
        var request = await EnqueueAsync(series);
        await request.Completion;
        return request;
    }
}
