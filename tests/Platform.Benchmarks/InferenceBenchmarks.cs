extern alias inference;

using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Platform.Features;
using Platform.Forecasting;
using Platform.Forecasting.Neural;
using Platform.Forecasting.Onnx;
using Platform.Forecasting.Registry;
using inference::Platform.Inference;
using inference::Platform.Inference.Scoring;

namespace Platform.Benchmarks;

/// <summary>
/// The inference stage against raw ONNX Runtime on the same model and the same rows. The model has the production
/// shape (lookback 168, horizon 24, hidden layers of 128: 175 inputs, 72 outputs). One operation = one row.
/// <list type="bullet">
/// <item><c>RawSessionRun</c>: <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// on ready-built float rows, <see cref="BatchSize"/> rows per call: the floor any server on ONNX Runtime pays.</item>
/// <item><c>MicroBatcher</c>: the service's path for the same rows: rent a request per row, queue it, the batcher's loop
/// forms batches of up to <see cref="BatchSize"/> (max queue delay 1 ms), builds each row from its demand window,
/// runs the model through the engine's forecaster, unscales into the request, completes it; the caller awaits and
/// returns it. Row building and unscaling are in the cost; raw Run gets its rows built in advance.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private const int Rows = 4096;
    private const int Lookback = 168;
    private const int Horizon = 24;

    private readonly string[] _inputNames = ["features"];
    private readonly string[] _outputNames = ["p10", "p50", "p90"];
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private float[] _builtRows = [];
    private int _width;
    private int[][] _windows = [];
    private DateTime[] _origins = [];
    private MicroBatcher _batcher = null!;
    private InferenceMetrics _metrics = null!;
    private ScoringRequest[] _requests = [];
    private string _registry = "";

    [Params(1, 64, 1024)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var history = Enumerable.Range(0, 32).Select(Series).ToArray();
        // Weights barely trained: throughput depends on the graph's shape, not on what it learnt.
        var model = new NeuralQuantileForecaster(new NeuralForecasterOptions { Lookback = Lookback, MaxEpochs = 1, SamplesPerEpoch = 512 })
            .Fit(history, new ForecastRequest(Horizon, 24));
        _registry = Directory.CreateTempSubdirectory("bench-registry-").FullName;
        var registered = new ModelRegistry(_registry).Register(model.ExportOnnx(), Platform.Forecasting.Registry.ModelMetadata.ForNeuralModel(model, history, FeatureSchema.Default.Hash));
        var layout = registered.Layout;
        _width = layout.FeatureCount;

        var random = new Random(5);
        _windows = new int[Rows][];
        _origins = new DateTime[Rows];
        _builtRows = new float[Rows * _width];
        for (var i = 0; i < Rows; i++)
        {
            var s = history[i % history.Length];
            var end = Lookback + random.Next(s.Length - Lookback);
            _windows[i] = s.Values[(end - Lookback)..end].Select(v => (int)v).ToArray();
            _origins[i] = s.TimestampAt(end);
            layout.WriteFeatures(new TimeSeries(s.Id, s.Start, s.Step, s.Values[..end]), end, [], false, _builtRows.AsSpan(i * _width, _width));
        }

        _session = new InferenceSession(registered.OnnxModel);
        _runOptions = new RunOptions();
        _metrics = new InferenceMetrics();
        _batcher = new MicroBatcher(new MicroBatcherOptions { MaxBatchSize = BatchSize, MaxQueueDelay = TimeSpan.FromMilliseconds(1), QueueCapacity = Rows }, _metrics);
        _batcher.Publish(ServingModel.Load(registered, new OnnxForecasterOptions { MaxBatch = BatchSize }));
        _requests = new ScoringRequest[Rows];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _batcher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _session.Dispose();
        _runOptions.Dispose();
        _metrics.Dispose();
        Directory.Delete(_registry, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public float RawSessionRun()
    {
        var sum = 0f;
        for (var from = 0; from < Rows; from += BatchSize)
        {
            var count = Math.Min(BatchSize, Rows - from);
            var memory = _builtRows.AsMemory(from * _width, count * _width);
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, [count, _width]);
            using var outputs = _session.Run(_runOptions, _inputNames, [input], _outputNames);
            sum += outputs[1].GetTensorDataAsSpan<float>()[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public async Task<double> MicroBatcher()
    {
        var sum = 0.0;
        if (BatchSize == 1)
        {
            // One row at a time, each awaited before the next: what a caller without batching sees.
            for (var i = 0; i < Rows; i++)
            {
                var request = Fill(i);
                await _batcher.EnqueueAsync(request);
                await request.Completion;
                sum += request.P50[0];
                _batcher.Return(request);
            }

            return sum;
        }

        for (var i = 0; i < Rows; i++)
        {
            _requests[i] = Fill(i);
            await _batcher.EnqueueAsync(_requests[i]);
        }

        for (var i = 0; i < Rows; i++)
        {
            await _requests[i].Completion;
            sum += _requests[i].P50[0];
            _batcher.Return(_requests[i]);
        }

        return sum;
    }

    private ScoringRequest Fill(int i)
    {
        var request = _batcher.Rent();
        request.Window = _windows[i];
        request.Origin = _origins[i];
        return request;
    }

    private static TimeSeries Series(int index)
    {
        var random = new Random(200 + index);
        var values = new double[400];
        for (var t = 0; t < values.Length; t++)
        {
            var daily = 0.4 + Math.Max(0, Math.Sin((t % 24 - 6) * Math.PI / 14));
            values[t] = Math.Round((1 + index) * daily * (0.5 + random.NextDouble()));
        }

        return new TimeSeries($"B{index}", new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromHours(1), values);
    }
}
