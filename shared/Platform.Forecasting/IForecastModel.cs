namespace Platform.Forecasting;

/// <summary>
/// A forecasting method. Local methods (naive, ETS …) fit each series on its own; global methods fit one model
/// across all of them. One call fits on <paramref name="history"/> and forecasts <see cref="ForecastRequest.Horizon"/>
/// steps past the end of every series, in the same order.
/// </summary>
public interface IForecastModel
{
    /// <summary>Short name used in reports and the CSV outputs (for example "seasonal_naive").</summary>
    string Name { get; }

    IReadOnlyList<QuantileForecast> FitPredict(IReadOnlyList<TimeSeries> history, ForecastRequest request, IProgress<double>? progress = null);
}

/// <param name="Horizon">Steps to forecast past the end of each series.</param>
/// <param name="SeasonLength">Season period in steps (24 for hourly data with a daily cycle, 7 for daily data with a weekly one); 1 when there is none.</param>
public sealed record ForecastRequest(int Horizon, int SeasonLength)
{
    public void Validate()
    {
        if (Horizon < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Horizon), Horizon, "The horizon must be at least 1.");
        }

        if (SeasonLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeasonLength), SeasonLength, "The season length must be at least 1.");
        }
    }
}
