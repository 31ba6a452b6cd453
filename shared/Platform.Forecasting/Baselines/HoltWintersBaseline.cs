namespace Platform.Forecasting.Baselines;

/// <summary>
/// Exponential smoothing with a damped additive trend and a season (Holt-Winters; ETS(A,Ad,A) / ETS(M,Ad,M)-like
/// point forecasts). Parameters are fitted per series by minimizing the in-sample one-step squared error with
/// Nelder–Mead from a fixed start, so fits are deterministic.
/// </summary>
/// <remarks>
/// Form: additive season when the series has a zero or negative value (demand with empty hours); when every value
/// is positive both forms are fitted and the one with the smaller error kept (they have as many parameters).
/// Fallbacks: with a season length of 1 or fewer than two full seasons, damped Holt without a season; with fewer
/// than 3 points, or if no fit is finite, the naive forecast.
/// </remarks>
public sealed class HoltWintersBaseline : LocalBaseline
{
    public const string ModelName = "ets";

    /// <summary>Budget of error evaluations per fit (each is one pass over the series).</summary>
    public const int MaxEvaluations = 300;

    public override string Name => ModelName;

    /// <summary>The form and parameters this method would use for <paramref name="history"/>; null when it falls back to naive.</summary>
    public static (SeasonForm Form, HoltWintersParameters Parameters, double Sse)? Fit(ReadOnlySpan<double> history, int seasonLength)
    {
        if (history.Length < 3)
        {
            return null;
        }

        var seasonal = seasonLength > 1 && history.Length >= 2 * seasonLength;
        var season = seasonal ? seasonLength : 1;
        var buffer = new double[season];
        var best = Fit(history, seasonal ? SeasonForm.Additive : SeasonForm.None, season, buffer);
        if (seasonal && AllPositive(history))
        {
            var multiplicative = Fit(history, SeasonForm.Multiplicative, season, buffer);
            if (multiplicative.Sse < best.Sse)
            {
                best = multiplicative;
            }
        }

        return double.IsFinite(best.Sse) ? best : null;
    }

    protected override int RollingForecasts(ReadOnlySpan<double> history, int seasonLength, int horizon, int rowStart, Span<double> rows)
    {
        if (Fit(history, seasonLength) is not { } fit)
        {
            return NaiveBaseline.FillRows(history, horizon, rowStart, rows);
        }

        var season = fit.Form == SeasonForm.None ? 1 : seasonLength;
        HoltWintersFilter.Run(history, fit.Form, season, fit.Parameters, new double[season], horizon, rowStart, rows);
        // The first season's errors are small by construction (it set the initial state); intervals start after it.
        return season == 1 ? 1 : season;
    }

    private static (SeasonForm Form, HoltWintersParameters Parameters, double Sse) Fit(ReadOnlySpan<double> history, SeasonForm form, int season, double[] buffer)
    {
        var seasonal = form != SeasonForm.None;
        // Nelder–Mead needs a delegate; the series is copied once per fit so the delegate can hold it.
        var y = history.ToArray();
        var (point, sse) = NelderMead.Minimize(
            u => HoltWintersFilter.Run(y, form, season, HoltWintersParameters.FromUnconstrained(u, seasonal), buffer),
            HoltWintersParameters.Start.ToUnconstrained(seasonal),
            step: 1.0,
            MaxEvaluations,
            relativeTolerance: 1e-9);
        return (form, HoltWintersParameters.FromUnconstrained(point, seasonal), sse);
    }

    private static bool AllPositive(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (v <= 0)
            {
                return false;
            }
        }

        return true;
    }
}
