namespace Platform.Forecasting.Anomaly;

/// <summary>What <see cref="OrderRiskScorer"/> remembers about one SKU: its robust log price and log quantity, and its open incidents.</summary>
internal sealed class SkuRiskState
{
    public RobustLogStats Price { get; } = new();

    public RobustLogStats Quantity { get; } = new();

    public long Lines { get; set; }

    /// <summary>Start of the current run of abnormal prices (no normal line since), or null.</summary>
    public DateTimeOffset? PriceAbnormalSince { get; set; }

    public DateTimeOffset? LastPriceAbnormal { get; set; }

    public DateTimeOffset? LastQuantityAbnormal { get; set; }
}
