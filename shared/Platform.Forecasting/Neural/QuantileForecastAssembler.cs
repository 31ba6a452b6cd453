namespace Platform.Forecasting.Neural;

/// <summary>
/// Forecasts a list of series with a scorer in batches: builds each series' row from its last window, scores the
/// batch, unscales; series shorter than the window, or whose output is not finite, get <see cref="ShortSeriesFallback"/>.
/// Shared by <see cref="NeuralQuantileModel"/> and the ONNX forecaster so both treat inputs identically.
/// </summary>
internal static class QuantileForecastAssembler
{
    public static IReadOnlyList<QuantileForecast> Forecast(
        NeuralFeatureLayout layout, IReadOnlyList<TimeSeries> series, CovariateProvider? covariates, int batchSize, ScaledQuantileScorer scorer)
    {
        HistoryValidator.Check(series);
        var results = new QuantileForecast[series.Count];
        var features = layout.FeatureCount;
        var horizon = layout.Horizon;
        var rows = new float[batchSize * features];
        var p10 = new float[batchSize * horizon];
        var p50 = new float[batchSize * horizon];
        var p90 = new float[batchSize * horizon];
        var covariateBuffer = new float[layout.CovariateCount];
        var pending = new List<(int Index, double Scale)>(batchSize);

        void Flush()
        {
            if (pending.Count == 0)
            {
                return;
            }

            scorer(rows.AsSpan(0, pending.Count * features), pending.Count, p10, p50, p90);
            for (var r = 0; r < pending.Count; r++)
            {
                var (index, scale) = pending[r];
                results[index] = layout.Unscale(
                    p10.AsSpan(r * horizon, horizon), p50.AsSpan(r * horizon, horizon), p90.AsSpan(r * horizon, horizon), scale)
                    ?? Fallback(layout, series[index]);
            }

            pending.Clear();
        }

        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.Length < layout.Lookback)
            {
                results[i] = Fallback(layout, s);
                continue;
            }

            var present = false;
            if (covariates is not null && layout.CovariateCount > 0)
            {
                Array.Clear(covariateBuffer);
                present = covariates(s, s.Length, covariateBuffer);
            }

            var scale = layout.WriteFeatures(s, s.Length, covariateBuffer, present, rows.AsSpan(pending.Count * features, features));
            pending.Add((i, scale));
            if (pending.Count == batchSize)
            {
                Flush();
            }
        }

        Flush();
        return results;
    }

    public static QuantileForecast Fallback(NeuralFeatureLayout layout, TimeSeries series) =>
        ShortSeriesFallback.Forecast(series.Values, layout.Horizon, layout.SeasonLength, layout.NonNegative);
}
