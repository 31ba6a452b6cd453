using Platform.Forecasting.Neural;
using Platform.Forecasting.Onnx;
using Platform.Forecasting.Registry;

namespace Platform.Inference.Scoring;

/// <summary>
/// One loaded model version as the micro-batcher runs it: its row layout, the scorer (an ONNX Runtime session) and the
/// execution provider it ended up on. Only the batcher's loop scores with it, so it is disposed there, between batches.
/// </summary>
public sealed class ServingModel : IDisposable
{
    private readonly IDisposable? _owner;

    /// <param name="version">Registry version.</param>
    /// <param name="layout">How rows are built and outputs unscaled.</param>
    /// <param name="scorer">Scores built rows; called from one thread at a time.</param>
    /// <param name="executionProvider">Where the scorer runs, for logs and metrics.</param>
    /// <param name="owner">Disposed with the model (the ONNX session).</param>
    /// <param name="fallbackReason">Why CUDA was asked for and not used; null otherwise.</param>
    public ServingModel(int version, NeuralFeatureLayout layout, RowScorer scorer, string executionProvider, IDisposable? owner = null, string? fallbackReason = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(scorer);
        Version = version;
        Layout = layout;
        Scorer = scorer;
        ExecutionProvider = executionProvider;
        FallbackReason = fallbackReason;
        _owner = owner;
        Label = ModelRegistry.FolderName(version);
    }

    public int Version { get; }

    /// <summary>"v0003": what forecasts and alerts carry as their model version.</summary>
    public string Label { get; }

    public NeuralFeatureLayout Layout { get; }

    public RowScorer Scorer { get; }

    public string ExecutionProvider { get; }

    public string? FallbackReason { get; }

    /// <summary>An ONNX Runtime session for a verified registry version, on CUDA when asked for and usable, else on the CPU.</summary>
    public static ServingModel Load(RegisteredModel registered, OnnxForecasterOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var forecaster = registered.CreateForecaster(options, log);
        return new ServingModel(registered.Version, registered.Layout, forecaster.ScoreScaled, forecaster.ExecutionProvider, forecaster, forecaster.FallbackReason);
    }

    public void Dispose() => _owner?.Dispose();
}
