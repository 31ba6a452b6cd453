namespace Platform.Forecasting.Onnx;

/// <summary>How <see cref="OnnxQuantileForecaster"/> runs its ONNX Runtime session.</summary>
public sealed class OnnxForecasterOptions
{
    /// <summary>Ask for the CUDA execution provider; when it cannot start, the session runs on the CPU and says why.</summary>
    public bool PreferCuda { get; init; }

    public int CudaDeviceId { get; init; }

    /// <summary>Rows per ONNX Runtime call; larger batches cost less per row (see ENVIRONMENT.md's measurements).</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>Threads ONNX Runtime may use inside one operator; 0 lets it choose.</summary>
    public int IntraOpThreads { get; init; }
}
