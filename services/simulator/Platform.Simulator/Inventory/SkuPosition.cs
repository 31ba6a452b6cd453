namespace Platform.Simulator.Inventory;

/// <summary>One SKU's stock as the book holds it now.</summary>
/// <param name="RiskLine">P90 demand over the lead time from now (latest forecast): on hand below it is at risk.</param>
/// <param name="LostSales">Units demanded while the shelf was empty.</param>
public sealed record SkuPosition(
    string Sku,
    long OnHand,
    long OnOrder,
    double LeadTimeHours,
    bool SupplierDelayed,
    double RiskLine,
    long UnitsSold,
    long LostSales,
    int PendingShipments);
