using Platform.Forecasting;
using Platform.Forecasting.Neural;
using Platform.Forecasting.Onnx;
using Platform.Forecasting.Registry;
using Platform.Inference.Scoring;

namespace Platform.Inference.Tests;

[Collection(ModelCollection.Name)]
public sealed class OnnxScoringTests(TrainedModels models)
{
    [Fact]
    public async Task Scoring_ThroughTheBatcherAndOnnx_EqualsTheCSharpForwardPassAndTheEngineForecaster()
    {
        using var registry = new TestRegistry();
        var registered = models.Register(registry.Registry, models.First);
        using var metrics = new InferenceMetrics();
        await using var batcher = new MicroBatcher(new MicroBatcherOptions { MaxBatchSize = 5, MaxQueueDelay = TimeSpan.FromMilliseconds(1) }, metrics);
        batcher.Publish(ServingModel.Load(registered, new OnnxForecasterOptions()));

        var requests = new List<ScoringRequest>();
        for (var i = 0; i < models.History.Count; i++)
        {
            var request = batcher.Rent();
            request.Window = models.Window(i);
            request.Origin = models.Origin(i);
            requests.Add(request);
            await batcher.EnqueueAsync(request);
        }

        var csharp = models.First.Predict(models.History);
        using var engine = registered.CreateForecaster();
        var onnx = engine.Forecast(models.History);
        for (var i = 0; i < requests.Count; i++)
        {
            await requests[i].Completion;
            Assert.Equal(TrainedModels.Horizon, requests[i].Horizon);
            for (var h = 0; h < TrainedModels.Horizon; h++)
            {
                var tolerance = 1e-4 * Math.Max(1, Math.Abs(csharp[i].P50[h]));
                Assert.Equal(csharp[i].P10[h], requests[i].P10[h], tolerance);
                Assert.Equal(csharp[i].P50[h], requests[i].P50[h], tolerance);
                Assert.Equal(csharp[i].P90[h], requests[i].P90[h], tolerance);
                Assert.Equal(onnx[i].P50[h], requests[i].P50[h], 1e-5 * Math.Max(1, Math.Abs(onnx[i].P50[h])));
            }
        }
    }

    [Fact]
    public void Rows_AreBitEqualToTheEnginesLayout_WithAndWithoutCovariates()
    {
        var random = new Random(7);
        var plain = models.First.Layout;
        var withCovariates = new NeuralFeatureLayout
        {
            Lookback = 24, Horizon = 6, SeasonLength = 24, Step = TimeSpan.FromHours(1), LevelMean = 1.3, LevelStd = 0.7, NonNegative = true,
            CovariateNames = ["promo_any_24h", "avg_price_24h", "missing"], CovariateMeans = [0.2f, 10f, 1f], CovariateStds = [0.4f, 3f, 2f],
        };
        foreach (var layout in new[] { plain, withCovariates })
        {
            for (var trial = 0; trial < 20; trial++)
            {
                var window = Enumerable.Range(0, layout.Lookback + trial).Select(_ => random.Next(3) == 0 ? 0 : random.Next(0, 400)).ToArray();
                if (trial == 0)
                {
                    Array.Clear(window);
                }

                var features = new Dictionary<string, double> { ["promo_any_24h"] = 1, ["avg_price_24h"] = trial == 3 ? double.NaN : 12.5 + trial };
                var origin = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(random.Next(2000));
                var series = new TimeSeries("s", origin.AddHours(-window.Length), TimeSpan.FromHours(1), window.Select(v => (double)v).ToArray());
                var covariates = layout.CovariateNames.Select(n => features.TryGetValue(n, out var v) ? (float)v : float.NaN).ToArray();
                var expected = new float[layout.FeatureCount];
                var actual = new float[layout.FeatureCount];

                var expectedScale = layout.WriteFeatures(series, series.Length, covariates, covariatePresent: true, expected);
                var actualScale = ForecastRows.Write(layout, window, origin, features, actual);

                Assert.Equal(expectedScale, actualScale);
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
            }
        }
    }

    [Fact]
    public void Model_CudaPreferred_RunsOnCudaOrFallsBackToCpuAndSaysWhy()
    {
        using var registry = new TestRegistry();
        var registered = models.Register(registry.Registry, models.First);
        var log = new List<string>();

        using var model = ServingModel.Load(registered, new OnnxForecasterOptions { PreferCuda = true }, log.Add);

        // On a machine without a usable CUDA device (these build machines) this exercises the fallback.
        Assert.Contains(model.ExecutionProvider, new[] { OnnxQuantileForecaster.CudaProvider, OnnxQuantileForecaster.CpuProvider });
        if (model.ExecutionProvider == OnnxQuantileForecaster.CpuProvider)
        {
            Assert.False(string.IsNullOrWhiteSpace(model.FallbackReason));
            Assert.Contains(log, line => line.Contains("CUDA", StringComparison.Ordinal));
        }
        else
        {
            Assert.Null(model.FallbackReason);
        }

        Assert.Equal(ModelRegistry.FolderName(registered.Version), model.Label);
    }
}
