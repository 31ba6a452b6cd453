using Platform.Contracts;

namespace Platform.Simulator.Inventory;

/// <summary>
/// Ground truth: a span during which a SKU's stock on hand was below the P90 demand over its lead time (what the
/// inference service's stockout judge should flag), from the book's own latest forecast.
/// </summary>
/// <param name="End">When stock was back at or above the line; null while the incident is open.</param>
/// <param name="RiskLineAtStart">Lead-time P90 demand when it began.</param>
/// <param name="MinOnHand">Lowest stock on hand during the incident.</param>
/// <param name="LostSales">Units demanded and not sold during it because the shelf was empty.</param>
/// <param name="SupplierDelayed">Whether the SKU's supplier is one of the late-and-short ones.</param>
public sealed record StockoutIncident(
    string Sku,
    DateTimeOffset Start,
    DateTimeOffset? End,
    double OnHandAtStart,
    double RiskLineAtStart,
    double MinOnHand,
    long LostSales,
    bool SupplierDelayed)
{
    /// <summary>Whether the shelf actually ran empty during the incident.</summary>
    public bool RanOut => MinOnHand <= 0;

    /// <summary>
    /// Whether <paramref name="alert"/> is a stockout-risk alert of this incident: same SKU, and its window starts
    /// (the forecast origin, in event time) within the incident, give or take <paramref name="tolerance"/>.
    /// </summary>
    public bool IsDetectedBy(AnomalyAlert alert, TimeSpan tolerance) =>
        alert.Kind == AnomalyKinds.StockoutRisk
        && string.Equals(alert.Sku, Sku, StringComparison.Ordinal)
        && alert.WindowStart >= Start - tolerance
        && (End is not { } end || alert.WindowStart <= end + tolerance);
}
