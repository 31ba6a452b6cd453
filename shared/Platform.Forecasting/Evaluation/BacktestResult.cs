using Platform.Forecasting.Data;

namespace Platform.Forecasting.Evaluation;

/// <summary>A backtest's scores per model, the series it scored and those it left out.</summary>
/// <param name="Evaluated">The series scored, whole (training part and held-out part).</param>
/// <param name="LeftOut">One <see cref="SeriesIssueCodes.TooShort"/> issue per series too short to score.</param>
/// <param name="Forecasts">Per model name, the forecast of each evaluated series in order; empty unless <see cref="BacktestOptions.KeepForecasts"/>.</param>
public sealed record BacktestResult(
    BacktestOptions Options,
    IReadOnlyList<ModelScore> Scores,
    IReadOnlyList<TimeSeries> Evaluated,
    IReadOnlyList<SeriesIssue> LeftOut,
    IReadOnlyDictionary<string, IReadOnlyList<QuantileForecast>> Forecasts);
