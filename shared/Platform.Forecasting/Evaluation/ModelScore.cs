namespace Platform.Forecasting.Evaluation;

/// <summary>
/// One model's backtest accuracy. MASE and sMAPE are means over series (each series counts once, whatever its
/// volume); WAPE, wQL and coverage are pooled over all held-out points (big series weigh more, as their errors
/// cost more). A null metric is undefined for this data (see each property).
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Series">Series evaluated.</param>
/// <param name="Points">Held-out points scored (series × horizon).</param>
/// <param name="Mase">Mean MASE over the series whose scale is defined; null when none is.</param>
/// <param name="MaseSeries">Series in the MASE mean (a constant training part has no scale and is left out).</param>
/// <param name="MaseScaleFallbacks">Series whose MASE used the lag-1 scale because the seasonal one was 0 or the training part was not longer than a season.</param>
/// <param name="Smape">Mean sMAPE in percent (0 to 200).</param>
/// <param name="Wape">Σ|y − P50| / Σ|y|; null when every held-out value is 0.</param>
/// <param name="Wql">Mean of <see cref="WqlP10"/>, <see cref="WqlP50"/> and <see cref="WqlP90"/>; null when every held-out value is 0.</param>
/// <param name="WqlP10">wQL[0.1] = 2·Σ pinball₀.₁ / Σ|y| (Amazon Forecast's weighted quantile loss).</param>
/// <param name="WqlP50">wQL[0.5], equal to WAPE.</param>
/// <param name="WqlP90">wQL[0.9].</param>
/// <param name="Coverage80">Share of held-out points with P10 ≤ y ≤ P90 (0 to 1; 0.8 is calibrated).</param>
/// <param name="Seconds">Wall time of the model's fit and forecast over all series.</param>
public sealed record ModelScore(
    string Model,
    int Series,
    long Points,
    double? Mase,
    int MaseSeries,
    int MaseScaleFallbacks,
    double Smape,
    double? Wape,
    double? Wql,
    double? WqlP10,
    double? WqlP50,
    double? WqlP90,
    double Coverage80,
    double Seconds);
