namespace Platform.Forecasting.Neural;

/// <summary>
/// The global neural quantile forecaster ("neural"): one MLP over all series, fitted on sliding windows of the
/// history with the pinball loss. See docs/models.md (neural section) for inputs, training and fallbacks.
/// </summary>
public sealed class NeuralQuantileForecaster : IForecastModel
{
    private readonly NeuralForecasterOptions _options;
    private readonly CovariateProvider? _covariates;

    /// <param name="options">Network and training settings; defaults when null.</param>
    /// <param name="covariates">Optional per-origin covariates, named by <see cref="NeuralForecasterOptions.CovariateNames"/>.</param>
    public NeuralQuantileForecaster(NeuralForecasterOptions? options = null, CovariateProvider? covariates = null)
    {
        _options = options ?? new NeuralForecasterOptions();
        _options.Validate();
        if (covariates is not null && _options.CovariateNames.Count == 0)
        {
            throw new ArgumentException("A covariate provider needs CovariateNames in the options (one name per value it writes).", nameof(covariates));
        }

        _covariates = covariates;
    }

    /// <summary>The name reports, the backtest's --models and the registry use.</summary>
    public const string ModelName = "neural";

    public string Name => ModelName;

    /// <summary>The model trained by the last <see cref="FitPredict"/>; null when no series was long enough and every forecast fell back.</summary>
    public NeuralQuantileModel? LastModel { get; private set; }

    /// <summary>Trains on <paramref name="history"/>; throws <see cref="InsufficientHistoryException"/> when no series gives a training window.</summary>
    public NeuralQuantileModel Fit(IReadOnlyList<TimeSeries> history, ForecastRequest request, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        HistoryValidator.Check(history);
        if (history.Count == 0)
        {
            throw new InsufficientHistoryException("There are no series to train on.");
        }

        return new NeuralQuantileTrainer(_options, _covariates).Train(history, request, progress);
    }

    public IReadOnlyList<QuantileForecast> FitPredict(IReadOnlyList<TimeSeries> history, ForecastRequest request, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        HistoryValidator.Check(history);
        LastModel = null;
        if (history.Count == 0)
        {
            return [];
        }

        var lookback = _options.ResolveLookback(history, request);
        if (!history.Any(s => s.Length >= lookback + request.Horizon))
        {
            // Documented fallback: nothing to learn from, so every series gets seasonal naive.
            progress?.Report(1.0);
            var nonNegative = _options.NonNegative ?? history.All(s => s.Values.All(v => v >= 0));
            return history.Select(s => ShortSeriesFallback.Forecast(s.Values, request.Horizon, request.SeasonLength, nonNegative)).ToArray();
        }

        var model = Fit(history, request, progress);
        LastModel = model;
        var forecasts = model.Predict(history, _covariates);
        progress?.Report(1.0);
        return forecasts;
    }
}
