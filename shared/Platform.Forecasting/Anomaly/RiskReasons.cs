namespace Platform.Forecasting.Anomaly;

/// <summary>Inputs the order-risk scorer judges; each names the contributor and the incidents it opens.</summary>
public static class RiskReasons
{
    /// <summary>A line's unit price far from its SKU's robust price (price errors ×100 or ×0.01).</summary>
    public const string UnitPrice = "unit_price";

    /// <summary>A line's quantity far above its SKU's robust quantity distribution.</summary>
    public const string Quantity = "quantity";

    /// <summary>A customer placing orders far faster than their own history, or a population floor, allows.</summary>
    public const string CustomerVelocity = "customer_velocity";
}
