namespace Platform.Forecasting.Baselines;

/// <summary>
/// One pass of damped Holt-Winters over a series: the sum of squared one-step errors, and optionally the
/// h-step forecasts from every origin. Component form (FPP 2nd ed. 7.3–7.4), with ŷ[t+h|t] = l + φ_h·b + s
/// (additive) or (l + φ_h·b)·s (multiplicative), φ_h = φ + φ² + … + φ^h.
/// </summary>
/// <remarks>
/// Initial state (the classical heuristic): with a season, the level is the mean of the first season, the trend the
/// difference between the means of the first two seasons over the season length, and each seasonal index the first
/// season's deviation from (or ratio to) the level, normalized to sum 0 (or average 1). Without a season, the level is
/// the first value and the trend the mean slope over the first up to 4 steps.
/// </remarks>
internal static class HoltWintersFilter
{
    /// <summary>Returns the one-step SSE, or +∞ when the state leaves the admissible region (a multiplicative level or index ≤ 0, an overflow).</summary>
    public static double Run(ReadOnlySpan<double> y, SeasonForm form, int season, HoltWintersParameters p, Span<double> seasonal,
        int horizon = 0, int rowStart = 0, Span<double> rows = default)
    {
        var m = form == SeasonForm.None ? 1 : season;
        if (!Initialize(y, form, m, seasonal, out var level, out var trend))
        {
            return double.PositiveInfinity;
        }

        var multiplicative = form == SeasonForm.Multiplicative;
        var sse = 0.0;
        for (var t = 0; t < y.Length; t++)
        {
            var phase = t % m;
            var s = seasonal[phase];
            var damped = level + p.Phi * trend;
            var forecast = multiplicative ? damped * s : damped + s;
            var error = y[t] - forecast;
            sse += error * error;

            var newLevel = multiplicative
                ? p.Alpha * (y[t] / s) + (1 - p.Alpha) * damped
                : p.Alpha * (y[t] - s) + (1 - p.Alpha) * damped;
            trend = p.Beta * (newLevel - level) + (1 - p.Beta) * p.Phi * trend;
            if (form != SeasonForm.None)
            {
                seasonal[phase] = multiplicative
                    ? p.Gamma * (y[t] / damped) + (1 - p.Gamma) * s
                    : p.Gamma * (y[t] - damped) + (1 - p.Gamma) * s;
            }

            level = newLevel;
            if (!double.IsFinite(level) || !double.IsFinite(trend) || (multiplicative && (level + p.Phi * trend <= 0 || seasonal[phase] <= 0)))
            {
                return double.PositiveInfinity;
            }

            if (t >= rowStart && !rows.IsEmpty)
            {
                var row = rows.Slice((t - rowStart) * horizon, horizon);
                var dampedSum = 0.0;
                var phiPower = 1.0;
                for (var h = 1; h <= horizon; h++)
                {
                    phiPower *= p.Phi;
                    dampedSum += phiPower;
                    var index = seasonal[(t + h) % m];
                    row[h - 1] = multiplicative ? (level + dampedSum * trend) * index : level + dampedSum * trend + index;
                }
            }
        }

        return double.IsFinite(sse) ? sse : double.PositiveInfinity;
    }

    private static bool Initialize(ReadOnlySpan<double> y, SeasonForm form, int m, Span<double> seasonal, out double level, out double trend)
    {
        if (form == SeasonForm.None)
        {
            var k = Math.Min(y.Length - 1, 4);
            level = y[0];
            trend = k > 0 ? (y[k] - y[0]) / k : 0;
            seasonal[0] = 0;
            return true;
        }

        var first = Mean(y[..m]);
        var second = Mean(y.Slice(m, m));
        level = first;
        trend = (second - first) / m;
        if (form == SeasonForm.Multiplicative)
        {
            if (first <= 0)
            {
                return false;
            }

            for (var i = 0; i < m; i++)
            {
                seasonal[i] = y[i] / first;
            }

            var mean = Mean(seasonal[..m]);
            for (var i = 0; i < m; i++)
            {
                seasonal[i] /= mean;
            }
        }
        else
        {
            for (var i = 0; i < m; i++)
            {
                seasonal[i] = y[i] - first;
            }

            var mean = Mean(seasonal[..m]);
            for (var i = 0; i < m; i++)
            {
                seasonal[i] -= mean;
            }
        }

        return true;
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var total = 0.0;
        foreach (var v in values)
        {
            total += v;
        }

        return total / values.Length;
    }
}
