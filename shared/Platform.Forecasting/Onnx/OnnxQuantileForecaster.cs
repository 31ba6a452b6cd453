using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Onnx;

/// <summary>
/// Forecasts with an exported neural model through ONNX Runtime: rows are built by the same
/// <see cref="NeuralFeatureLayout"/> as training, scored in batches of up to <see cref="OnnxForecasterOptions.MaxBatch"/>,
/// and unscaled in C#. With <see cref="OnnxForecasterOptions.PreferCuda"/> it tries the CUDA execution provider and,
/// when that fails (no GPU, missing CUDA libraries), runs on the CPU and reports the reason through the log callback
/// and <see cref="FallbackReason"/>. Thread-safe: ONNX Runtime sessions allow concurrent runs.
/// </summary>
public sealed class OnnxQuantileForecaster : IDisposable
{
    public const string CpuProvider = "CPUExecutionProvider";
    public const string CudaProvider = "CUDAExecutionProvider";

    private static readonly string[] OutputNames = [QuantileMlpOnnxExporter.P10Name, QuantileMlpOnnxExporter.P50Name, QuantileMlpOnnxExporter.P90Name];
    private static readonly string[] InputNames = [QuantileMlpOnnxExporter.InputName];
    private readonly InferenceSession _session;
    private readonly OnnxForecasterOptions _options;
    private readonly RunOptions _runOptions = new();

    /// <param name="onnxModel">The bytes of model.onnx.</param>
    /// <param name="layout">The layout the model was trained with (from its metadata).</param>
    /// <param name="options">Provider and batching; defaults (CPU) when null.</param>
    /// <param name="log">Receives one line when CUDA was asked for but is not used, with the reason.</param>
    public OnnxQuantileForecaster(byte[] onnxModel, NeuralFeatureLayout layout, OnnxForecasterOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(layout);
        layout.Validate();
        _options = options ?? new OnnxForecasterOptions();
        if (_options.MaxBatch < 1)
        {
            throw new ArgumentException("MaxBatch must be at least 1.", nameof(options));
        }

        Layout = layout;
        if (_options.PreferCuda)
        {
            try
            {
                using var cudaOptions = CreateOptions();
                cudaOptions.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
                _session = new InferenceSession(onnxModel, cudaOptions);
                ExecutionProvider = CudaProvider;
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                FallbackReason = ex.Message;
                log?.Invoke($"CUDA execution provider unavailable, running the forecaster on the CPU: {ex.Message}");
            }
        }

        if (_session is null)
        {
            using var cpuOptions = CreateOptions();
            _session = new InferenceSession(onnxModel, cpuOptions);
            ExecutionProvider = CpuProvider;
        }

        try
        {
            CheckSignature();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public NeuralFeatureLayout Layout { get; }

    /// <summary><see cref="CudaProvider"/> or <see cref="CpuProvider"/>.</summary>
    public string ExecutionProvider { get; } = CpuProvider;

    /// <summary>Why CUDA was asked for but not used; null otherwise.</summary>
    public string? FallbackReason { get; }

    /// <summary>Same contract as <see cref="NeuralQuantileModel.Predict"/>, computed by ONNX Runtime.</summary>
    public IReadOnlyList<QuantileForecast> Forecast(IReadOnlyList<TimeSeries> series, CovariateProvider? covariates = null) =>
        QuantileForecastAssembler.Forecast(Layout, series, covariates, _options.MaxBatch, ScoreScaled);

    /// <summary>
    /// Scores ready-built rows ([rows × FeatureCount], see <see cref="NeuralFeatureLayout"/>) into scaled P10/P50/P90
    /// rows ([rows × Horizon] each). For callers that batch rows themselves, such as the inference service.
    /// </summary>
    public void ScoreScaled(ReadOnlySpan<float> features, int rows, Span<float> p10, Span<float> p50, Span<float> p90)
    {
        var width = Layout.FeatureCount;
        var horizon = Layout.Horizon;
        if (rows < 0 || features.Length < rows * width || p10.Length < rows * horizon || p50.Length < rows * horizon || p90.Length < rows * horizon)
        {
            throw new ArgumentException($"{rows} rows need {rows * width} features and {rows * horizon} values per output.");
        }

        for (var from = 0; from < rows; from += _options.MaxBatch)
        {
            var count = Math.Min(_options.MaxBatch, rows - from);
            var length = count * width;
            var buffer = ArrayPool<float>.Shared.Rent(length);
            try
            {
                features.Slice(from * width, length).CopyTo(buffer);
                using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, length), [count, width]);
                using var outputs = _session.Run(_runOptions, InputNames, [input], OutputNames);
                var offset = from * horizon;
                outputs[0].GetTensorDataAsSpan<float>().CopyTo(p10.Slice(offset, count * horizon));
                outputs[1].GetTensorDataAsSpan<float>().CopyTo(p50.Slice(offset, count * horizon));
                outputs[2].GetTensorDataAsSpan<float>().CopyTo(p90.Slice(offset, count * horizon));
            }
            finally
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private SessionOptions CreateOptions()
    {
        var options = new SessionOptions();
        if (_options.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = _options.IntraOpThreads;
        }

        return options;
    }

    /// <summary>The model must take exactly the rows the layout builds and return the layout's horizon.</summary>
    private void CheckSignature()
    {
        var inputs = _session.InputMetadata;
        if (!inputs.TryGetValue(QuantileMlpOnnxExporter.InputName, out var input) || input.Dimensions.Length != 2 || input.Dimensions[1] != Layout.FeatureCount)
        {
            var found = string.Join("; ", inputs.Select(kv => $"{kv.Key}[{string.Join(",", kv.Value.Dimensions)}]"));
            throw new InvalidDataException(
                $"The ONNX model must take '{QuantileMlpOnnxExporter.InputName}' as [batch, {Layout.FeatureCount}] (the layout's feature count) but takes {found}.");
        }

        foreach (var name in OutputNames)
        {
            if (!_session.OutputMetadata.TryGetValue(name, out var output) || output.Dimensions.Length != 2 || output.Dimensions[1] != Layout.Horizon)
            {
                throw new InvalidDataException($"The ONNX model must return '{name}' as [batch, {Layout.Horizon}] (the layout's horizon).");
            }
        }
    }
}
