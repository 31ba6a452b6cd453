using Microsoft.Extensions.Options;
using Platform.Forecasting.Onnx;
using Platform.Forecasting.Registry;
using Platform.Inference.Scoring;

namespace Platform.Inference.Models;

/// <summary>
/// Keeps the micro-batcher serving the right model version: the pinned one (Inference:ModelVersion, a rollback) or
/// else the newest one that loads. Polls the registry folder; a new version is verified and its ONNX Runtime session
/// created here, in the background, and only then handed to the batcher, which switches between two batches.
/// </summary>
/// <remarks>
/// A version is refused, with one error log line and the metric platform.inference.model.loads{outcome="refused"},
/// when it was trained against another feature schema, needs more hours than the demand window holds, is not hourly,
/// or does not load (bad metadata, checksum, ONNX signature). The model being served keeps serving. A refused version
/// is not tried again until its files change, so a bad version costs one attempt, not one per poll.
/// </remarks>
public sealed class ModelReloader : BackgroundService
{
    private readonly IOptionsMonitor<InferenceOptions> _options;
    private readonly MicroBatcher _batcher;
    private readonly InferenceMetrics _metrics;
    private readonly string _schemaHash;
    private readonly ILogger<ModelReloader> _logger;
    private readonly Dictionary<int, string> _refused = [];
    private readonly Lock _gate = new();

    public ModelReloader(IOptionsMonitor<InferenceOptions> options, MicroBatcher batcher, InferenceMetrics metrics, ExpectedFeatureSchema schema, ILogger<ModelReloader> logger)
    {
        _options = options;
        _batcher = batcher;
        _metrics = metrics;
        _schemaHash = schema.Hash;
        _logger = logger;
    }

    /// <summary>Version being served (from the next batch on); null before the first successful load.</summary>
    public int? ServedVersion => _batcher.Model?.Version;

    /// <summary>Versions refused so far, with the reason.</summary>
    public IReadOnlyDictionary<int, string> Refusals
    {
        get
        {
            lock (_gate)
            {
                return _refused.ToDictionary(kv => kv.Key, kv => kv.Value[(kv.Value.IndexOf('|', StringComparison.Ordinal) + 1)..]);
            }
        }
    }

    /// <summary>
    /// One look at the registry: loads and publishes the version that should be served when it is not the one served.
    /// Returns the version served afterwards. Never throws for a bad version (it is refused and logged).
    /// </summary>
    public int? CheckNow()
    {
        lock (_gate)
        {
            var options = _options.CurrentValue;
            var registry = new ModelRegistry(options.ModelRegistry);
            var current = _batcher.Model?.Version;
            IEnumerable<int> candidates = options.ModelVersion is { } pinned ? [pinned] : registry.Versions().Reverse();
            foreach (var version in candidates)
            {
                if (version == current)
                {
                    return current;
                }

                var stamp = Stamp(registry, version);
                if (_refused.TryGetValue(version, out var refusal) && refusal.StartsWith(stamp + "|", StringComparison.Ordinal))
                {
                    continue;
                }

                if (TryLoad(registry, version, options, stamp, current))
                {
                    return version;
                }
            }

            return current;
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The first load happens before the consumers (registered after this service) start, so the first batch finds a model.
        CheckNow();
        if (ServedVersion is null)
        {
            _logger.LogError("No model version could be loaded from {Registry}; the service stays not ready and keeps polling", _options.CurrentValue.ModelRegistry);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.CurrentValue.ModelPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                CheckNow();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The registry folder itself is unreadable (a volume not mounted yet): serve on, look again next time.
                _logger.LogWarning(ex, "Model registry {Registry} could not be listed; still serving {Version}", _options.CurrentValue.ModelRegistry, ServedVersion);
            }
        }
    }

    private bool TryLoad(ModelRegistry registry, int version, InferenceOptions options, string stamp, int? current)
    {
        string reason;
        string message;
        try
        {
            var registered = registry.Load(version, _schemaHash);
            if (registered.Layout.Step != TimeSpan.FromHours(1))
            {
                throw new ModelRefusedException("not_hourly", $"model {ModelRegistry.FolderName(version)} forecasts steps of {registered.Layout.Step}; the demand windows are hourly");
            }

            if (registered.Layout.Lookback > options.DemandWindowHours)
            {
                throw new ModelRefusedException("window_too_short",
                    $"model {ModelRegistry.FolderName(version)} needs a lookback of {registered.Layout.Lookback} hours; the feature store keeps {options.DemandWindowHours} (Inference:DemandWindowHours)");
            }

            var onnx = new OnnxForecasterOptions
            {
                PreferCuda = options.PreferCuda,
                CudaDeviceId = options.CudaDeviceId,
                MaxBatch = options.MaxBatchSize,
                IntraOpThreads = options.IntraOpThreads,
            };
            var model = ServingModel.Load(registered, onnx, fallback => _logger.LogWarning("Model {Version}: {Fallback}", ModelRegistry.FolderName(version), fallback));
            try
            {
                _batcher.Publish(model);
            }
            catch (ObjectDisposedException)
            {
                // Shutting down: the batcher is gone, so nobody else will free the session just loaded.
                model.Dispose();
                return false;
            }

            _metrics.ModelLoaded(version, model.ExecutionProvider);
            _logger.LogInformation(
                "Model {Version} loaded from {Registry} on {Provider}{Why}; it serves from the next batch (was {Previous})",
                model.Label, registry.Root, model.ExecutionProvider, model.FallbackReason is null ? "" : " (CUDA unavailable)",
                current is { } c ? ModelRegistry.FolderName(c) : "none");
            _refused.Remove(version);
            return true;
        }
        catch (FeatureSchemaMismatchException ex)
        {
            (reason, message) = ("feature_schema_mismatch", ex.Message);
        }
        catch (ModelRefusedException ex)
        {
            (reason, message) = (ex.Reason, ex.Message);
        }
        catch (FileNotFoundException ex)
        {
            (reason, message) = ("not_found", ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Bad metadata or checksum, an ONNX graph the layout does not fit, an unreadable file.
            (reason, message) = ("load_failed", ex.Message);
        }

        _refused[version] = $"{stamp}|{reason}";
        _metrics.ModelRefused(reason);
        _logger.LogError("Model {Version} refused ({Reason}): {Message}. Still serving {Current}", ModelRegistry.FolderName(version), reason, message,
            current is { } served ? ModelRegistry.FolderName(served) : "no model");
        return false;
    }

    /// <summary>What identifies a version's files: a refused version is tried again only when this changes.</summary>
    private static string Stamp(ModelRegistry registry, int version)
    {
        var folder = Path.Combine(registry.Root, ModelRegistry.FolderName(version));
        var metadata = new FileInfo(Path.Combine(folder, ModelRegistry.MetadataFileName));
        var model = new FileInfo(Path.Combine(folder, ModelRegistry.ModelFileName));
        return metadata.Exists && model.Exists
            ? $"{metadata.LastWriteTimeUtc.Ticks}:{metadata.Length}:{model.LastWriteTimeUtc.Ticks}:{model.Length}"
            : "missing";
    }

    private sealed class ModelRefusedException(string reason, string message) : Exception(message)
    {
        public string Reason { get; } = reason;
    }
}
