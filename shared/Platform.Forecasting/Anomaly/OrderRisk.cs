using Platform.Contracts;

namespace Platform.Forecasting.Anomaly;

/// <summary>
/// The risk verdict on one order, from the orders before it only. <see cref="Score"/> is the largest score of its
/// inputs (same scale as the series detector: −log10(p) / 10). <see cref="Contributors"/> name the inputs that
/// moved most, largest first (for example "unit_price:10019" with the price and its SKU's usual price);
/// <see cref="NewIncidents"/> are the flags to raise: an input that stays abnormal on one SKU or customer opens
/// one incident, not one per order.
/// </summary>
public sealed record OrderRisk(
    string OrderId,
    string? CustomerId,
    DateTimeOffset OccurredAt,
    double Score,
    bool IsRisky,
    IReadOnlyList<AnomalyContributor> Contributors,
    IReadOnlyList<RiskIncident> NewIncidents)
{
    public static OrderRisk None(OrderEvent order) => new(order.OrderId, order.CustomerId, order.OccurredAt, 0, false, [], []);
}
