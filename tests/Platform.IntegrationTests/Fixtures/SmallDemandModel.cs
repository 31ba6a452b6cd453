using Platform.Features;
using Platform.Forecasting;
using Platform.Forecasting.Neural;
using Platform.Forecasting.Registry;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>
/// A model registry holding one small neural demand model of the production shape (lookback 168 h, horizon 24 h),
/// trained in about a second on synthetic hourly series with a daily cycle (fixed seeds), registered against the
/// default feature schema: what the inference service needs to forecast in a test. The folder is deleted afterwards.
/// </summary>
public sealed class SmallDemandModel : IDisposable
{
    private const int Lookback = 168;
    private const int Horizon = 24;

    public SmallDemandModel()
    {
        Root = Directory.CreateTempSubdirectory("platform-trace-registry-").FullName;
        var start = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);
        var random = new Random(7);
        var history = Enumerable.Range(0, 4).Select(index =>
        {
            var values = new double[Lookback + 3 * Horizon + 48];
            for (var t = 0; t < values.Length; t++)
            {
                var daily = 1 + Math.Sin((t % 24 - 6) * Math.PI / 12);
                values[t] = Math.Round((2 + index) * daily + random.NextDouble());
            }

            return new TimeSeries($"S{index}", start, TimeSpan.FromHours(1), values);
        }).ToArray();
        var model = new NeuralQuantileForecaster(new NeuralForecasterOptions
        {
            Lookback = Lookback,
            Hidden1 = 8,
            Hidden2 = 8,
            MaxEpochs = 2,
            SamplesPerEpoch = 256,
            Seed = 3,
        }).Fit(history, new ForecastRequest(Horizon, 24));
        new ModelRegistry(Root).Register(model.ExportOnnx(), ModelMetadata.ForNeuralModel(model, history, FeatureSchema.Default.Hash));
    }

    /// <summary>The registry folder (Inference:ModelRegistry).</summary>
    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
