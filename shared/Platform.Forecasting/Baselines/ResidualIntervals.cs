namespace Platform.Forecasting.Baselines;

/// <summary>
/// Interval offsets from in-sample errors: for each step h, the 10th and 90th percentiles of y[t+h] minus the
/// forecast of it made at origin t, over the origins whose forecasts are genuine.
/// </summary>
internal static class ResidualIntervals
{
    /// <summary>
    /// Writes the 10th percentile of the h-step errors into <paramref name="low"/>[h-1] and the 90th into
    /// <paramref name="high"/>[h-1]; these are offsets to add to the point forecast.
    /// </summary>
    public static void Compute(ReadOnlySpan<double> y, ReadOnlySpan<double> rows, int rowStart, int firstOrigin, int horizon,
        Span<double> low, Span<double> high, LocalBaseline.Workspace workspace)
    {
        var n = y.Length;
        var errors = workspace.Errors(Math.Max(0, n - firstOrigin));
        var oneStepLow = 0.0;
        var oneStepHigh = 0.0;
        for (var h = 1; h <= horizon; h++)
        {
            var count = 0;
            for (var t = firstOrigin; t + h < n; t++)
            {
                var error = y[t + h] - rows[(t - rowStart) * horizon + h - 1];
                if (double.IsFinite(error))
                {
                    errors[count++] = error;
                }
            }

            if (h == 1 && count > 0)
            {
                var sorted = errors[..count];
                sorted.Sort();
                oneStepLow = Quantile(sorted, 0.1);
                oneStepHigh = Quantile(sorted, 0.9);
            }

            if (count >= LocalBaseline.MinErrorsPerStep)
            {
                var sorted = errors[..count];
                sorted.Sort();
                low[h - 1] = Quantile(sorted, 0.1);
                high[h - 1] = Quantile(sorted, 0.9);
            }
            else
            {
                // Too few h-step errors: widen the one-step ones as a random walk's spread grows, by √h.
                var widen = Math.Sqrt(h);
                low[h - 1] = oneStepLow * widen;
                high[h - 1] = oneStepHigh * widen;
            }
        }
    }

    /// <summary>The <paramref name="p"/> quantile of sorted values, interpolating linearly between order statistics (Hyndman and Fan's type 7, as R and NumPy do by default).</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty)
        {
            return 0;
        }

        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
