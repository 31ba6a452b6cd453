namespace Platform.Forecasting.Neural;

/// <summary>
/// What the neural model answers for a series too short to fill its window (or when no series is long enough to
/// train at all): seasonal naive, with the interval from the empirical 10th and 90th percentiles of the series'
/// own seasonal differences, widened by √k for the k-th season ahead. With no full season of history it is naive
/// (last value, lag-1 differences); a single point gives a flat forecast with a zero-width interval.
/// </summary>
internal static class ShortSeriesFallback
{
    public static QuantileForecast Forecast(ReadOnlySpan<double> values, int horizon, int season, bool nonNegative)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException("A series with no values cannot be forecast.", nameof(values));
        }

        var n = values.Length;
        var lag = n > season ? season : 1;
        var residuals = new List<double>(Math.Max(0, n - lag));
        for (var t = lag; t < n; t++)
        {
            residuals.Add(values[t] - values[t - lag]);
        }

        residuals.Sort();
        var low = Math.Min(Quantile(residuals, 0.1), 0.0);
        var high = Math.Max(Quantile(residuals, 0.9), 0.0);
        var floor = nonNegative ? 0.0 : double.NegativeInfinity;
        var p10 = new double[horizon];
        var p50 = new double[horizon];
        var p90 = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var point = values[n - lag + (h % lag)];
            var widen = Math.Sqrt(h / lag + 1);
            p50[h] = Math.Max(point, floor);
            p10[h] = Math.Min(Math.Max(point + low * widen, floor), p50[h]);
            p90[h] = Math.Max(point + high * widen, p50[h]);
        }

        return new QuantileForecast(p10, p50, p90);
    }

    /// <summary>Linear-interpolation quantile of sorted values (0 for none).</summary>
    private static double Quantile(List<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return 0.0;
        }

        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
