using System.Globalization;
using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Onnx;

/// <summary>
/// Writes a <see cref="QuantileMlp"/> as an ONNX graph (opset 17, IR version 8) using only Gemm, Relu, MatMul, Add,
/// Slice, Softplus and Sub, all of which ONNX Runtime's CUDA execution provider implements:
/// <code>
/// features[batch,F] ─Gemm(W1,b1)─Relu─Gemm(W2,b2)─Relu─Gemm(W3,b3)─┐
///          └──────────────────MatMul(skip)─────────────────────────Add─ raw[batch,3H]
/// p50 = Slice(raw, 0:H);  p10 = p50 − Softplus(Slice(raw, H:2H));  p90 = p50 + Softplus(Slice(raw, 2H:3H))
/// </code>
/// Inputs and outputs are in scaled units: the caller builds rows with <see cref="NeuralFeatureLayout"/> and
/// multiplies the outputs by each row's scale.
/// </summary>
internal static class QuantileMlpOnnxExporter
{
    public const string InputName = "features";
    public const string P10Name = "p10";
    public const string P50Name = "p50";
    public const string P90Name = "p90";
    public const string BatchDimension = "batch";
    public const long Opset = 17;
    public const long IrVersion = 8;

    /// <summary>The operators the graph may use: a subset of what the CUDA execution provider registers.</summary>
    public static readonly IReadOnlySet<string> AllowedOperators = new HashSet<string>(StringComparer.Ordinal)
    {
        "Gemm", "Relu", "MatMul", "Add", "Sub", "Slice", "Softplus",
    };

    public static byte[] Export(QuantileMlp network, NeuralFeatureLayout layout) => Build(network, layout).Build(
        "neural_quantile_mlp",
        IrVersion,
        Opset,
        "Platform.Forecasting",
        typeof(QuantileMlpOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
        "Global quantile MLP: rows built by NeuralFeatureLayout, outputs p10/p50/p90 in scaled units (multiply by the row's scale).",
        Metadata(layout));

    /// <summary>The graph before serialisation (tests read its operator list).</summary>
    internal static OnnxModelBuilder Build(QuantileMlp network, NeuralFeatureLayout layout)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layout);
        if (network.Inputs != layout.FeatureCount || network.Horizon != layout.Horizon)
        {
            throw new ArgumentException($"The network takes {network.Inputs} inputs for {network.Horizon} steps but the layout builds {layout.FeatureCount} for {layout.Horizon}.");
        }

        var f = (long)network.Inputs;
        var h = (long)network.Horizon;
        var builder = new OnnxModelBuilder();
        builder.Input(InputName, OnnxModelBuilder.ElementFloat, BatchDimension, network.Inputs);
        builder.FloatInitializer("w1", [f, network.Hidden1], network.W1);
        builder.FloatInitializer("b1", [network.Hidden1], network.B1);
        builder.FloatInitializer("w2", [network.Hidden1, network.Hidden2], network.W2);
        builder.FloatInitializer("b2", [network.Hidden2], network.B2);
        builder.FloatInitializer("w3", [network.Hidden2, 3 * h], network.W3);
        builder.FloatInitializer("b3", [3 * h], network.B3);
        builder.FloatInitializer("skip", [f, 3 * h], network.Skip);
        builder.Int64Initializer("slice_axes", [1], [1L]);
        builder.Int64Initializer("mid_start", [1], [0L]);
        builder.Int64Initializer("mid_end", [1], [h]);
        builder.Int64Initializer("low_start", [1], [h]);
        builder.Int64Initializer("low_end", [1], [2 * h]);
        builder.Int64Initializer("high_start", [1], [2 * h]);
        builder.Int64Initializer("high_end", [1], [3 * h]);

        builder.Node("Gemm", "dense1", [InputName, "w1", "b1"], ["z1"]);
        builder.Node("Relu", "relu1", ["z1"], ["h1"]);
        builder.Node("Gemm", "dense2", ["h1", "w2", "b2"], ["z2"]);
        builder.Node("Relu", "relu2", ["z2"], ["h2"]);
        builder.Node("Gemm", "dense3", ["h2", "w3", "b3"], ["head"]);
        builder.Node("MatMul", "skip", [InputName, "skip"], ["linear"]);
        builder.Node("Add", "raw", ["head", "linear"], ["raw"]);
        builder.Node("Slice", "mid", ["raw", "mid_start", "mid_end", "slice_axes"], [P50Name]);
        builder.Node("Slice", "low_raw", ["raw", "low_start", "low_end", "slice_axes"], ["a"]);
        builder.Node("Softplus", "low_width", ["a"], ["low_width"]);
        builder.Node("Sub", "low", [P50Name, "low_width"], [P10Name]);
        builder.Node("Slice", "high_raw", ["raw", "high_start", "high_end", "slice_axes"], ["b"]);
        builder.Node("Softplus", "high_width", ["b"], ["high_width"]);
        builder.Node("Add", "high", [P50Name, "high_width"], [P90Name]);

        builder.Output(P10Name, OnnxModelBuilder.ElementFloat, BatchDimension, network.Horizon);
        builder.Output(P50Name, OnnxModelBuilder.ElementFloat, BatchDimension, network.Horizon);
        builder.Output(P90Name, OnnxModelBuilder.ElementFloat, BatchDimension, network.Horizon);
        return builder;
    }

    /// <summary>Key facts repeated inside the ONNX file, so the file explains itself without metadata.json.</summary>
    private static Dictionary<string, string> Metadata(NeuralFeatureLayout layout)
    {
        var inv = CultureInfo.InvariantCulture;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["feature_columns"] = string.Join(',', layout.ColumnNames()),
            ["lookback"] = layout.Lookback.ToString(inv),
            ["horizon"] = layout.Horizon.ToString(inv),
            ["season_length"] = layout.SeasonLength.ToString(inv),
            ["step"] = layout.Step.ToString("c", inv),
            ["scaling"] = NeuralFeatureLayout.ScalingMethod,
            ["level_mean"] = layout.LevelMean.ToString("R", inv),
            ["level_std"] = layout.LevelStd.ToString("R", inv),
            ["non_negative"] = layout.NonNegative ? "true" : "false",
            ["outputs"] = "p10, p50, p90: [batch, horizon] float32 in scaled units; multiply by the row's scale",
        };
    }
}
