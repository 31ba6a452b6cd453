using Platform.Contracts;

namespace Platform.Simulator.Inventory;

/// <summary>
/// A SKU's latest demand forecast as hourly P50 and P90 rates from <see cref="Origin"/> on, summed over any window of
/// hours the way the inference service's stockout judge sums it: a fraction of an hour counts that fraction of the hour,
/// and hours past the horizon run at the horizon's mean rate (for a window from the origin that is the judge's
/// "scale the horizon's sums by lead time / horizon").
/// </summary>
/// <remarks>
/// Planning looks further ahead than the judge (lead time plus review period, then the lead time after that), and hourly
/// demand has a strong daily shape that a flat mean past the horizon would miss: the <c>Plan…</c> sums continue a horizon of
/// at least a day by repeating its last whole day, hour of day by hour of day.
/// </remarks>
internal sealed class ForecastCurve
{
    private readonly double[] _p50;
    private readonly double[] _p90;
    private readonly double _meanP50;
    private readonly double _meanP90;

    private ForecastCurve(DateTimeOffset origin, double[] p50, double[] p90)
    {
        Origin = origin;
        _p50 = p50;
        _p90 = p90;
        _meanP50 = p50.Average();
        _meanP90 = p90.Average();
    }

    /// <summary>Start of the first forecast hour.</summary>
    public DateTimeOffset Origin { get; }

    public int HorizonHours => _p50.Length;

    /// <summary>Reads a forecast; null with a machine-readable reason when it cannot be used.</summary>
    public static ForecastCurve? TryRead(DemandForecast forecast, out string? reason)
    {
        reason = null;
        var hoursPerStep = forecast.StepUnit switch
        {
            "hour" => 1,
            "day" => 24,
            _ => 0,
        };
        if (hoursPerStep == 0)
        {
            reason = InventoryRejections.UnsupportedStepUnit;
            return null;
        }

        if (forecast.Steps is not { Count: > 0 } steps || steps.Count > 24 * 366)
        {
            reason = InventoryRejections.EmptyForecast;
            return null;
        }

        var ordered = steps.OrderBy(s => s.Step).ToArray();
        var p50 = new double[ordered.Length * hoursPerStep];
        var p90 = new double[p50.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            var step = ordered[i];
            if (!double.IsFinite(step.P50) || !double.IsFinite(step.P90) || step.P50 < 0 || step.P90 < 0)
            {
                reason = InventoryRejections.BadQuantile;
                return null;
            }

            if (step.P90 < step.P50)
            {
                reason = InventoryRejections.QuantilesOutOfOrder;
                return null;
            }

            // A day's quantiles spread evenly over its hours: no finer shape is known.
            for (var h = 0; h < hoursPerStep; h++)
            {
                p50[i * hoursPerStep + h] = step.P50 / hoursPerStep;
                p90[i * hoursPerStep + h] = step.P90 / hoursPerStep;
            }
        }

        var origin = ordered[0].PeriodStart != default ? ordered[0].PeriodStart : forecast.FeatureAsOf;
        if (origin == default)
        {
            reason = InventoryRejections.MissingTime;
            return null;
        }

        return new ForecastCurve(origin, p50, p90);
    }

    /// <summary>Hours from the origin to <paramref name="at"/>; 0 before the origin (the forecast says nothing earlier).</summary>
    public double HoursFromOrigin(DateTimeOffset at) => Math.Max(0, (at - Origin).TotalHours);

    /// <summary>Median demand over <paramref name="hours"/> hours starting <paramref name="from"/> hours after the origin.</summary>
    public double P50Over(double from, double hours) => Sum(_p50, _meanP50, from, hours, daily: false);

    /// <summary>P90 demand over the window (quantiles summed, so hours are taken as fully correlated: the judge's choice).</summary>
    public double P90Over(double from, double hours) => Sum(_p90, _meanP90, from, hours, daily: false);

    /// <summary>As <see cref="P50Over"/>, continuing past the horizon by the daily shape (see remarks).</summary>
    public double PlanP50Over(double from, double hours) => Sum(_p50, _meanP50, from, hours, daily: true);

    /// <inheritdoc cref="PlanP50Over"/>
    public double PlanP90Over(double from, double hours) => Sum(_p90, _meanP90, from, hours, daily: true);

    private static double Sum(double[] rates, double mean, double from, double hours, bool daily)
    {
        var repeat = daily && rates.Length >= 24;
        if (!(hours > 0))
        {
            return 0;
        }

        var end = from + hours;
        var total = 0.0;
        for (var h = (long)Math.Floor(from); h < end; h++)
        {
            var share = Math.Min(end, h + 1) - Math.Max(from, h);
            if (share <= 0)
            {
                continue;
            }

            total += share * (h < rates.Length ? rates[h] : repeat ? rates[rates.Length - 24 + (int)((h - rates.Length) % 24)] : mean);
        }

        return total;
    }
}
