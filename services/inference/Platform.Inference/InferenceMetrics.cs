using System.Diagnostics.Metrics;

namespace Platform.Inference;

/// <summary>
/// Inference instruments (Meter "Platform.Inference"), after Triton's: rows and batches, batch size, queue and compute
/// time, the model version being served and the execution provider it runs on, plus the service's own outputs.
/// </summary>
public sealed class InferenceMetrics : IDisposable
{
    public const string MeterName = "Platform.Inference";

    private readonly Meter _meter = new(MeterName);

    /// <summary>This instance's meter: listeners (tests) tell it apart from other instances' meters of the same name.</summary>
    internal Meter Meter => _meter;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _batches;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _queueTime;
    private readonly Histogram<double> _computeTime;
    private readonly Counter<long> _rowFailures;
    private readonly Counter<long> _modelLoads;
    private readonly Counter<long> _forecasts;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _skipped;
    private volatile ServedModel? _served;
    private long _rowsTotal;
    private long _batchesTotal;
    private long _forecastsTotal;
    private long _alertsTotal;
    private long _refusedTotal;
    private double _demandLevel = 1;

    public InferenceMetrics()
    {
        _rows = _meter.CreateCounter<long>("platform.inference.rows", "{row}", "Rows scored by the model (Triton: inference count)");
        _batches = _meter.CreateCounter<long>("platform.inference.batches", "{batch}", "Model executions (Triton: execution count)");
        _batchSize = _meter.CreateHistogram<int>("platform.inference.batch_size", "{row}", "Rows per model execution",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] });
        _queueTime = _meter.CreateHistogram<double>("platform.inference.queue_time", "ms", "Time a row waited in the batching queue (Triton: queue duration)");
        _computeTime = _meter.CreateHistogram<double>("platform.inference.compute_time", "ms",
            "Time of one model execution: rows built, ONNX Runtime run, outputs unscaled (Triton: compute duration)");
        _rowFailures = _meter.CreateCounter<long>("platform.inference.row_failures", "{row}", "Rows not scored, by reason");
        _modelLoads = _meter.CreateCounter<long>("platform.inference.model.loads", "{load}",
            "Model versions loaded or refused (outcome), with the reason of a refusal");
        _forecasts = _meter.CreateCounter<long>("platform.inference.forecasts", "{record}", "Forecasts produced to forecasts.demand");
        _alerts = _meter.CreateCounter<long>("platform.inference.alerts", "{record}", "Alerts produced to alerts.anomalies, by kind");
        _skipped = _meter.CreateCounter<long>("platform.inference.skipped", "{record}", "Inputs not forecast or judged, by reason");
        _meter.CreateObservableGauge("platform.inference.model.version", ObserveVersion, "{version}",
            "Registry version of the model being served, tagged with it and with the execution provider; absent before the first load");
        _meter.CreateObservableGauge("platform.inference.execution_provider", ObserveProvider, "{model}",
            "1 for the ONNX Runtime execution provider the served model runs on (CUDAExecutionProvider or CPUExecutionProvider)");
        _meter.CreateObservableGauge("platform.inference.demand_level", () => Volatile.Read(ref _demandLevel), "1",
            "The shop's order lines over what the forecasts expected, over the last hours (1 = on forecast); SKU judgements are scaled by it");
    }

    public long Rows => Interlocked.Read(ref _rowsTotal);

    public long Batches => Interlocked.Read(ref _batchesTotal);

    public long Forecasts => Interlocked.Read(ref _forecastsTotal);

    public long Alerts => Interlocked.Read(ref _alertsTotal);

    public long ModelsRefused => Interlocked.Read(ref _refusedTotal);

    internal void Batch(int rows, double computeMilliseconds)
    {
        _rows.Add(rows);
        _batches.Add(1);
        _batchSize.Record(rows);
        _computeTime.Record(computeMilliseconds);
        Interlocked.Add(ref _rowsTotal, rows);
        Interlocked.Increment(ref _batchesTotal);
    }

    internal void Queued(double milliseconds) => _queueTime.Record(milliseconds);

    internal void RowFailed(string reason) => _rowFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void ModelLoaded(int version, string provider)
    {
        _served = new ServedModel(version, provider);
        _modelLoads.Add(1, new("outcome", "loaded"), new("reason", "ok"));
    }

    internal void ModelRefused(string reason)
    {
        _modelLoads.Add(1, new("outcome", "refused"), new("reason", reason));
        Interlocked.Increment(ref _refusedTotal);
    }

    internal void ForecastProduced()
    {
        _forecasts.Add(1);
        Interlocked.Increment(ref _forecastsTotal);
    }

    internal void AlertProduced(string kind)
    {
        _alerts.Add(1, new KeyValuePair<string, object?>("kind", kind));
        Interlocked.Increment(ref _alertsTotal);
    }

    internal void DemandLevel(double level) => Volatile.Write(ref _demandLevel, level);

    internal void Skipped(string reason, int count = 1) => _skipped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveVersion() => _served is { } served
        ? [new Measurement<long>(served.Version, new("model_version", served.Version), new("execution_provider", served.Provider))]
        : [];

    private IEnumerable<Measurement<int>> ObserveProvider() => _served is { } served
        ? [new Measurement<int>(1, new KeyValuePair<string, object?>("execution_provider", served.Provider))]
        : [];

    private sealed record ServedModel(int Version, string Provider);
}
