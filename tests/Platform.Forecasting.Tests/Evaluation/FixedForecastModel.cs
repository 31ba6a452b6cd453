namespace Platform.Forecasting.Tests.Evaluation;

/// <summary>A stand-in model that returns given forecasts and records what it was asked, to check the backtest's arithmetic.</summary>
internal sealed class FixedForecastModel(string name, Func<TimeSeries, int, QuantileForecast> forecast) : IForecastModel
{
    public string Name => name;

    public List<IReadOnlyList<TimeSeries>> Calls { get; } = [];

    public IReadOnlyList<QuantileForecast> FitPredict(IReadOnlyList<TimeSeries> history, ForecastRequest request, IProgress<double>? progress = null)
    {
        Calls.Add(history);
        progress?.Report(1);
        return history.Select(s => forecast(s, request.Horizon)).ToList();
    }
}
