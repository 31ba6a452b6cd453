using Platform.Features;
using Platform.Forecasting;
using Platform.Forecasting.Neural;
using Platform.Forecasting.Registry;

namespace Platform.Inference.Tests;

/// <summary>
/// Two small neural models (different seeds) trained once per collection on synthetic hourly demand, with the
/// integer series they were trained on: enough to exercise real ONNX graphs of the production shape (lookback 168,
/// horizon 24) in well under a second of training each.
/// </summary>
public sealed class TrainedModels
{
    public const int Lookback = 168;
    public const int Horizon = 24;
    public static readonly DateTime Start = new(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);

    public TrainedModels()
    {
        History = Enumerable.Range(0, 12).Select(Series).ToArray();
        First = Train(seed: 1);
        Second = Train(seed: 2);
    }

    public IReadOnlyList<TimeSeries> History { get; }

    public NeuralQuantileModel First { get; }

    public NeuralQuantileModel Second { get; }

    /// <summary>Registers <paramref name="model"/> as the next version of <paramref name="registry"/> (against the default feature schema unless told otherwise).</summary>
    public RegisteredModel Register(ModelRegistry registry, NeuralQuantileModel model, string? schemaHash = null) =>
        registry.Register(model.ExportOnnx(), ModelMetadata.ForNeuralModel(model, History, schemaHash ?? FeatureSchema.Default.Hash));

    /// <summary>The last <paramref name="hours"/> values of series <paramref name="index"/> as a demand window ending at its end.</summary>
    public int[] Window(int index, int hours = Lookback) => History[index].Values[^hours..].Select(v => (int)v).ToArray();

    /// <summary>Start of the period after series <paramref name="index"/> (the forecast origin of <see cref="Window"/>).</summary>
    public DateTime Origin(int index) => History[index].TimestampAt(History[index].Length);

    private static TimeSeries Series(int index)
    {
        var random = new Random(100 + index);
        var level = 2 + index * 3;
        var values = new double[480];
        for (var t = 0; t < values.Length; t++)
        {
            var hour = t % 24;
            var daily = 0.4 + Math.Max(0, Math.Sin((hour - 6) * Math.PI / 14));
            values[t] = Poisson(random, level * daily);
        }

        return new TimeSeries($"S{index}", Start, TimeSpan.FromHours(1), values);
    }

    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }

    private NeuralQuantileModel Train(ulong seed) => new NeuralQuantileForecaster(new NeuralForecasterOptions
    {
        Lookback = Lookback,
        Hidden1 = 16,
        Hidden2 = 16,
        MaxEpochs = 3,
        SamplesPerEpoch = 1024,
        Seed = seed,
    }).Fit(History, new ForecastRequest(Horizon, 24));
}
