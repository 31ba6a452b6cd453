namespace Platform.Forecasting.Evaluation;

/// <param name="Horizon">Points held out at the end of each series and forecast (H).</param>
/// <param name="SeasonLength">Season period M, for the models and MASE's scale; 1 for none.</param>
/// <param name="KeepForecasts">Keep every forecast in the result (for <see cref="ForecastCsvWriter"/>); costs H × 3 numbers per series and model.</param>
public sealed record BacktestOptions(int Horizon, int SeasonLength, bool KeepForecasts = false);
