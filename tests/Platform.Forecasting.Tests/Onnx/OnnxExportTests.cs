using Microsoft.ML.OnnxRuntime;
using Platform.Forecasting.Neural;
using Platform.Forecasting.Onnx;
using Platform.Forecasting.Tests.Neural;

namespace Platform.Forecasting.Tests.Onnx;

[Collection(TrainedHourlyModelCollection.Name)]
public class OnnxExportTests(TrainedHourlyModel trained)
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void Onnx_MatchesCSharpForwardPassOnRandomInputs()
    {
        var random = new DeterministicRandom(21);
        var layout = new NeuralFeatureLayout { Lookback = 13, Horizon = 5, SeasonLength = 4, Step = TimeSpan.FromHours(1) };
        var network = new QuantileMlp(layout.FeatureCount, 17, 9, layout.Horizon);
        network.Initialize(random, NeuralQuantileTrainer.MedianPrior(layout), 0.4f);
        foreach (var parameter in network.Parameters)
        {
            for (var i = 0; i < parameter.Length; i++)
            {
                parameter[i] += (float)(0.5 * random.NextGaussian());
            }
        }

        const int rows = 37;
        var x = Enumerable.Range(0, rows * layout.FeatureCount).Select(_ => (float)(2 * random.NextGaussian())).ToArray();

        AssertParity(network, layout, x, rows);
    }

    [Fact]
    public void Onnx_MatchesCSharpForwardPassOnRealWindows()
    {
        var layout = trained.Model.Layout;
        var rows = trained.History.Count;
        var x = new float[rows * layout.FeatureCount];
        for (var i = 0; i < rows; i++)
        {
            var s = trained.History[i];
            layout.WriteFeatures(s, s.Length, [], false, x.AsSpan(i * layout.FeatureCount, layout.FeatureCount));
        }

        AssertParity(trained.Model.Network, layout, x, rows);
    }

    [Fact]
    public void Onnx_ForecasterGivesTheModelsForecasts()
    {
        using var onnx = new OnnxQuantileForecaster(trained.Model.ExportOnnx(), trained.Model.Layout);

        var fromOnnx = onnx.Forecast(trained.History);
        var fromCSharp = trained.Model.Predict(trained.History);

        Assert.Equal(OnnxQuantileForecaster.CpuProvider, onnx.ExecutionProvider);
        for (var i = 0; i < fromCSharp.Count; i++)
        {
            for (var h = 0; h < fromCSharp[i].Horizon; h++)
            {
                var scale = Math.Max(1.0, Math.Abs(fromCSharp[i].P50[h]));
                Assert.Equal(fromCSharp[i].P10[h], fromOnnx[i].P10[h], 1e-4 * scale);
                Assert.Equal(fromCSharp[i].P50[h], fromOnnx[i].P50[h], 1e-4 * scale);
                Assert.Equal(fromCSharp[i].P90[h], fromOnnx[i].P90[h], 1e-4 * scale);
            }
        }
    }

    [Fact]
    public void Onnx_GraphUsesOnlyCudaProviderOperatorsAndDescribesItself()
    {
        var builder = QuantileMlpOnnxExporter.Build(trained.Model.Network, trained.Model.Layout);
        Assert.All(builder.OperatorTypes, op => Assert.Contains(op, QuantileMlpOnnxExporter.AllowedOperators));

        using var session = new InferenceSession(trained.Model.ExportOnnx());
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("168", metadata["lookback"]);
        Assert.Equal("24", metadata["horizon"]);
        Assert.Equal(string.Join(',', trained.Model.Layout.ColumnNames()), metadata["feature_columns"]);
        Assert.Equal([-1, trained.Model.Layout.FeatureCount], session.InputMetadata["features"].Dimensions);
        Assert.Equal(["p10", "p50", "p90"], session.OutputNames);
        Assert.Equal([-1, 24], session.OutputMetadata["p90"].Dimensions);
    }

    [Fact]
    public void Onnx_AskingForCudaRunsOrExplainsTheFallback()
    {
        var messages = new List<string>();
        using var onnx = new OnnxQuantileForecaster(trained.Model.ExportOnnx(), trained.Model.Layout, new OnnxForecasterOptions { PreferCuda = true }, messages.Add);

        if (onnx.ExecutionProvider == OnnxQuantileForecaster.CudaProvider)
        {
            Assert.Null(onnx.FallbackReason);
            Assert.Empty(messages);
        }
        else
        {
            Assert.Equal(OnnxQuantileForecaster.CpuProvider, onnx.ExecutionProvider);
            Assert.False(string.IsNullOrWhiteSpace(onnx.FallbackReason));
            Assert.Contains(messages, m => m.Contains("CUDA", StringComparison.Ordinal) && m.Contains(onnx.FallbackReason!, StringComparison.Ordinal));
        }

        Assert.Equal(trained.History.Count, onnx.Forecast(trained.History).Count);
    }

    [Fact]
    public void Onnx_RejectsALayoutThatDoesNotFitTheModel()
    {
        var other = new NeuralFeatureLayout { Lookback = 48, Horizon = 24, SeasonLength = 24, Step = TimeSpan.FromHours(1) };

        var error = Assert.Throws<InvalidDataException>(() => new OnnxQuantileForecaster(trained.Model.ExportOnnx(), other));

        Assert.Contains($"[batch, {other.FeatureCount}]", error.Message);
    }

    private static void AssertParity(QuantileMlp network, NeuralFeatureLayout layout, float[] x, int rows)
    {
        var activations = new MlpActivations(network, rows);
        network.Forward(x, rows, activations);

        using var onnx = new OnnxQuantileForecaster(QuantileMlpOnnxExporter.Export(network, layout), layout);
        var length = rows * layout.Horizon;
        var p10 = new float[length];
        var p50 = new float[length];
        var p90 = new float[length];
        onnx.ScoreScaled(x, rows, p10, p50, p90);

        for (var i = 0; i < length; i++)
        {
            Assert.Equal(activations.P10[i], p10[i], Tolerance);
            Assert.Equal(activations.P50[i], p50[i], Tolerance);
            Assert.Equal(activations.P90[i], p90[i], Tolerance);
        }
    }
}
