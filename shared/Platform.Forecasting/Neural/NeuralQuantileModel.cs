using Platform.Forecasting.Onnx;

namespace Platform.Forecasting.Neural;

/// <summary>
/// A trained global quantile network with the layout that feeds it. Forecast with <see cref="Predict"/> in C#, or
/// export with <see cref="ExportOnnx"/> and serve through <see cref="OnnxQuantileForecaster"/>: both build the same rows.
/// </summary>
public sealed class NeuralQuantileModel
{
    private const int PredictBatch = 512;

    internal NeuralQuantileModel(NeuralFeatureLayout layout, QuantileMlp network, NeuralTrainingSummary training)
    {
        Layout = layout;
        Network = network;
        Training = training;
    }

    public NeuralFeatureLayout Layout { get; }

    public NeuralTrainingSummary Training { get; }

    internal QuantileMlp Network { get; }

    /// <summary>
    /// P10/P50/P90 for the <see cref="NeuralFeatureLayout.Horizon"/> periods after the end of each series, in order.
    /// A series shorter than the lookback gets the documented seasonal-naive fallback.
    /// </summary>
    public IReadOnlyList<QuantileForecast> Predict(IReadOnlyList<TimeSeries> series, CovariateProvider? covariates = null)
    {
        var activations = new MlpActivations(Network, PredictBatch);
        return QuantileForecastAssembler.Forecast(Layout, series, covariates, PredictBatch, (features, rows, p10, p50, p90) =>
        {
            ScoreScaled(features, rows, activations);
            var length = rows * Layout.Horizon;
            activations.P10.AsSpan(0, length).CopyTo(p10);
            activations.P50.AsSpan(0, length).CopyTo(p50);
            activations.P90.AsSpan(0, length).CopyTo(p90);
        });
    }

    /// <summary>The C# forward pass on ready-built rows; outputs stay in <paramref name="activations"/> (scaled units).</summary>
    internal void ScoreScaled(ReadOnlySpan<float> features, int rows, MlpActivations activations) => Network.Forward(features, rows, activations);

    /// <summary>The network as an ONNX model (see <see cref="QuantileMlpOnnxExporter"/> for the graph).</summary>
    public byte[] ExportOnnx() => QuantileMlpOnnxExporter.Export(Network, Layout);
}
