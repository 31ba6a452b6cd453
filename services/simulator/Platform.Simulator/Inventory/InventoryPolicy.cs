namespace Platform.Simulator.Inventory;

/// <summary>
/// The buyer's rules, pure functions of a forecast: a periodic-review, order-up-to policy, and the line below which the
/// inference service calls the stock at risk.
/// </summary>
/// <remarks>
/// <para>Order-up-to level at a review at time t, for lead time L and review period R:
/// <c>S = ΣP50[t, t+L+R) + k·Σ(P90 − P50)[t, t+L+R) + max over o in [L, L+R] of ΣP90[t+o, t+o+L)</c>.
/// The first two terms are the textbook cycle-plus-safety stock. The third is a floor: the stockout judge compares
/// stock on hand (not on order) with the P90 demand over the lead time, so a buyer who wants no alert in normal
/// operation keeps that much on hand even just before the next shipment lands, like a minimum presentation stock.
/// The stock ordered at t is the latest to have arrived from t+L until t+L+R, when the next one lands; the floor is taken
/// at its highest over that span because demand has a strong daily shape; for the same reason the plan's sums past the
/// forecast's horizon continue its daily shape (<see cref="ForecastCurve.PlanP90Over"/>), where the judge's line runs at
/// the horizon's mean rate.</para>
/// <para>With demand at P50 the stock on hand then never falls below the judge's line, with demand at P90 (all hours
/// together) and k = 1 it just touches it; a supplier that ships late or short pushes it under, which is the point.</para>
/// </remarks>
internal sealed class InventoryPolicy
{
    private readonly InventoryOptions _options;

    public InventoryPolicy(InventoryOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>Units the position (on hand + on order) is topped up to at a review at <paramref name="at"/>.</summary>
    internal double OrderUpToLevel(ForecastCurve forecast, DateTimeOffset at, double leadTimeHours)
    {
        var from = forecast.HoursFromOrigin(at);
        var review = _options.ReviewPeriodHours;
        var cover = leadTimeHours + review;
        var p50 = forecast.PlanP50Over(from, cover);
        var spread = forecast.PlanP90Over(from, cover) - p50;
        var floor = 0.0;
        // Whole hours (and the span's end) are enough: the rates are hourly steps.
        for (var o = leadTimeHours; ; o = Math.Min(o + 1, leadTimeHours + review))
        {
            floor = Math.Max(floor, forecast.PlanP90Over(from + o, leadTimeHours));
            if (o >= leadTimeHours + review)
            {
                break;
            }
        }

        return p50 + _options.SafetyFactor * Math.Max(0, spread) + floor;
    }

    /// <summary>
    /// P90 demand over the lead time from <paramref name="at"/>: stock on hand below it is what the inference service's
    /// stockout judge flags.
    /// </summary>
    internal static double RiskLine(ForecastCurve forecast, DateTimeOffset at, double leadTimeHours) =>
        forecast.P90Over(forecast.HoursFromOrigin(at), leadTimeHours);
}
