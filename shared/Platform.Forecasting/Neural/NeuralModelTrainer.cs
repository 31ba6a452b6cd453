using Platform.Forecasting.Registry;

namespace Platform.Forecasting.Neural;

/// <summary>
/// The `train` pipeline: backtest the neural model on each series' last H points (fitted without them), retrain on
/// the full history, export it to ONNX and register it with its backtest metrics.
/// <code>
/// var report = new NeuralModelTrainer().TrainAndRegister(series, new ForecastRequest(24, 24), new ModelRegistry(dir), FeatureSchema.Default.Hash);
/// </code>
/// </summary>
public sealed class NeuralModelTrainer
{
    private readonly NeuralForecasterOptions _options;
    private readonly CovariateProvider? _covariates;

    public NeuralModelTrainer(NeuralForecasterOptions? options = null, CovariateProvider? covariates = null)
    {
        _options = options ?? new NeuralForecasterOptions();
        _options.Validate();
        _covariates = covariates;
    }

    /// <param name="series">Regular series sharing one step (hourly or daily demand, for example).</param>
    /// <param name="request">Horizon and season the model is trained for.</param>
    /// <param name="registry">Where the version is registered.</param>
    /// <param name="featureSchemaHash">FeatureSchema.Hash of the feature store the model is meant to run against.</param>
    /// <param name="progress">0 → 0.5 during the backtest, 0.5 → 1 during the final training.</param>
    public NeuralTrainingReport TrainAndRegister(
        IReadOnlyList<TimeSeries> series, ForecastRequest request, ModelRegistry registry, string featureSchemaHash, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureSchemaHash);
        request.Validate();
        HistoryValidator.Check(series);
        if (series.Count == 0)
        {
            throw new InsufficientHistoryException("There are no series to train on.");
        }

        var horizon = request.Horizon;
        var held = series.Where(s => s.Length > horizon).ToArray();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        NeuralTrainingSummary? backtestTraining = null;
        if (held.Length > 0)
        {
            var heads = held.Select(s => s.Head(s.Length - horizon)).ToArray();
            var actuals = held.Select(s => s.Values[^horizon..]).ToArray();
            var forecaster = new NeuralQuantileForecaster(_options, _covariates);
            var forecasts = forecaster.FitPredict(heads, request, new ProgressRange(progress, 0.0, 0.5));
            backtestTraining = forecaster.LastModel?.Training;
            foreach (var (key, value) in BacktestScores.Compute(heads, actuals, forecasts, request.SeasonLength))
            {
                metrics[key] = value;
            }

            var nonNegative = _options.NonNegative ?? heads.All(s => s.Values.All(v => v >= 0));
            var naive = heads.Select(s => ShortSeriesFallback.Forecast(s.Values, horizon, request.SeasonLength, nonNegative)).ToArray();
            foreach (var (key, value) in BacktestScores.Compute(heads, actuals, naive, request.SeasonLength, "seasonal_naive_"))
            {
                metrics[key] = value;
            }
        }

        var model = new NeuralQuantileForecaster(_options, _covariates).Fit(series, request, new ProgressRange(progress, 0.5, 1.0));
        var metadata = ModelMetadata.ForNeuralModel(model, series, featureSchemaHash, metrics);
        var registered = registry.Register(model.ExportOnnx(), metadata);
        progress?.Report(1.0);
        return new NeuralTrainingReport(registered, metrics, backtestTraining, model.Training, held.Length, series.Count - held.Length);
    }
}
