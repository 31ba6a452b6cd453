namespace Platform.Forecasting.Evaluation;

/// <summary>
/// Accuracy of one forecast of one series against the held-out actuals. Definitions follow Hyndman and Koehler
/// (2006) for MASE and the M4 competition for sMAPE; the quantile loss is the pinball loss that Amazon Forecast's
/// wQL sums.
/// </summary>
public static class ForecastMetrics
{
    /// <summary>
    /// MASE's scale: the mean absolute seasonal difference |y[t] − y[t−M]| of the training part (the in-sample error
    /// of seasonal naive). When the training part is not longer than one season, or the seasonal differences are all 0
    /// (an exactly periodic or constant series), the lag-1 scale (naive's in-sample error) is used instead and
    /// <paramref name="fellBack"/> is set. Null when that is 0 too (a constant training part) or cannot be computed
    /// (one point): MASE is then undefined for the series.
    /// </summary>
    public static double? MaseScale(ReadOnlySpan<double> train, int seasonLength, out bool fellBack)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        fellBack = false;
        if (train.Length > seasonLength && MeanAbsoluteDifference(train, seasonLength) is > 0 and var seasonalScale)
        {
            return seasonalScale;
        }

        fellBack = seasonLength > 1;
        return train.Length > 1 && MeanAbsoluteDifference(train, 1) is > 0 and var naiveScale ? naiveScale : null;
    }

    public static double MeanAbsoluteError(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckLengths(actual, forecast);
        var total = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            total += Math.Abs(actual[i] - forecast[i]);
        }

        return total / actual.Length;
    }

    /// <summary>
    /// Symmetric MAPE in percent (0 to 200): the mean of 200·|y − f| / (|y| + |f|). A period where both are 0 was
    /// forecast perfectly and counts 0 (the M4 definition would divide by zero there).
    /// </summary>
    public static double Smape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckLengths(actual, forecast);
        var total = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var denominator = Math.Abs(actual[i]) + Math.Abs(forecast[i]);
            if (denominator > 0)
            {
                total += 200 * Math.Abs(actual[i] - forecast[i]) / denominator;
            }
        }

        return total / actual.Length;
    }

    /// <summary>Pinball (quantile) loss of the <paramref name="tau"/> quantile: τ·(y − q) when y ≥ q, else (1 − τ)·(q − y).</summary>
    public static double Pinball(double actual, double quantile, double tau) =>
        actual >= quantile ? tau * (actual - quantile) : (1 - tau) * (quantile - actual);

    private static double MeanAbsoluteDifference(ReadOnlySpan<double> values, int lag)
    {
        var total = 0.0;
        for (var t = lag; t < values.Length; t++)
        {
            total += Math.Abs(values[t] - values[t - lag]);
        }

        return total / (values.Length - lag);
    }

    private static void CheckLengths(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        if (actual.Length != forecast.Length || actual.IsEmpty)
        {
            throw new ArgumentException($"Actuals ({actual.Length}) and forecasts ({forecast.Length}) must have the same, non-zero length.");
        }
    }
}
