namespace Platform.Forecasting.Neural;

/// <summary>
/// Point and quantile accuracy of forecasts against held-out values, computed inline for the training pipeline
/// (the shared metrics of the backtest command use the same definitions):
/// <list type="bullet">
/// <item>mase: per series mean |y − P50| over the in-sample mean |y_t − y_{t−m}| (m = season, 1 when the history is
/// shorter), averaged over series; series whose in-sample scale is 0 are left out.</item>
/// <item>smape: mean of 2|y − P50| / (|y| + |P50|) over points, 0 where both are 0.</item>
/// <item>wape: Σ|y − P50| / Σ|y|.</item>
/// <item>wql: mean over τ ∈ {0.1, 0.5, 0.9} of 2 Σ ρτ(y, Pτ) / Σ|y| (Amazon Forecast's weighted quantile loss).</item>
/// <item>coverage_80: share of points with P10 ≤ y ≤ P90.</item>
/// <item>pinball: mean pinball loss over points and the three quantiles, in the series' units.</item>
/// </list>
/// A metric whose denominator is 0 everywhere is left out rather than reported as NaN.
/// </summary>
public static class BacktestScores
{
    public static IReadOnlyDictionary<string, double> Compute(
        IReadOnlyList<TimeSeries> history, IReadOnlyList<double[]> actuals, IReadOnlyList<QuantileForecast> forecasts, int seasonLength, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(actuals);
        ArgumentNullException.ThrowIfNull(forecasts);
        ArgumentNullException.ThrowIfNull(prefix);
        if (history.Count != actuals.Count || history.Count != forecasts.Count)
        {
            throw new ArgumentException($"Got {history.Count} histories, {actuals.Count} actuals and {forecasts.Count} forecasts; they must match one to one.");
        }

        double absSum = 0, absErr = 0, smapeSum = 0, pinballSum = 0, masesSum = 0;
        double q10 = 0, q50 = 0, q90 = 0;
        long points = 0, covered = 0;
        var maseSeries = 0;
        for (var i = 0; i < history.Count; i++)
        {
            var y = actuals[i];
            var f = forecasts[i];
            if (f.Horizon < y.Length)
            {
                throw new ArgumentException($"Forecast {i} has {f.Horizon} steps for {y.Length} actual values.");
            }

            double seriesErr = 0;
            for (var h = 0; h < y.Length; h++)
            {
                var err = Math.Abs(y[h] - f.P50[h]);
                absErr += err;
                seriesErr += err;
                absSum += Math.Abs(y[h]);
                var denominator = Math.Abs(y[h]) + Math.Abs(f.P50[h]);
                smapeSum += denominator > 0 ? 2 * err / denominator : 0;
                var l10 = PinballLoss.Value(PinballLoss.Low, y[h], f.P10[h]);
                var l50 = PinballLoss.Value(PinballLoss.Mid, y[h], f.P50[h]);
                var l90 = PinballLoss.Value(PinballLoss.High, y[h], f.P90[h]);
                q10 += l10;
                q50 += l50;
                q90 += l90;
                pinballSum += (l10 + l50 + l90) / 3;
                covered += y[h] >= f.P10[h] && y[h] <= f.P90[h] ? 1 : 0;
                points++;
            }

            var scale = SeasonalScale(history[i].Values, seasonLength);
            if (scale > 0 && y.Length > 0)
            {
                masesSum += seriesErr / y.Length / scale;
                maseSeries++;
            }
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (points == 0)
        {
            return metrics;
        }

        if (maseSeries > 0)
        {
            metrics[prefix + "mase"] = masesSum / maseSeries;
        }

        metrics[prefix + "smape"] = smapeSum / points;
        if (absSum > 0)
        {
            metrics[prefix + "wape"] = absErr / absSum;
            metrics[prefix + "wql"] = 2 * (q10 + q50 + q90) / 3 / absSum;
        }

        metrics[prefix + "coverage_80"] = (double)covered / points;
        metrics[prefix + "pinball"] = pinballSum / points;
        return metrics;
    }

    /// <summary>In-sample mean absolute seasonal difference (lag 1 when the history is not longer than a season); 0 when undefined.</summary>
    public static double SeasonalScale(ReadOnlySpan<double> values, int seasonLength)
    {
        var lag = values.Length > seasonLength ? seasonLength : 1;
        if (values.Length <= lag)
        {
            return 0;
        }

        double sum = 0;
        for (var t = lag; t < values.Length; t++)
        {
            sum += Math.Abs(values[t] - values[t - lag]);
        }

        return sum / (values.Length - lag);
    }
}
