namespace Platform.Simulator;

/// <summary>
/// A planned promotion: expected (not anomalous) demand uplift. Lines of the SKU carry <see cref="PromotionId"/>
/// and the price is cut by <see cref="Discount"/> while it runs.
/// </summary>
public sealed record Promotion(string PromotionId, string Sku, DateTimeOffset Start, DateTimeOffset End, double Discount, double Uplift);
