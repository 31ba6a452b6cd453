namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Kinds of labelled windows the benchmark knows, with the targets they carry: the names the order simulator
/// uses for its injected anomalies (docs/simulator.md), so its ground truth maps one to one.
/// </summary>
public static class LabelledKinds
{
    /// <summary>Target: a SKU. Its demand × 3 to 10.</summary>
    public const string DemandSpike = "demand_spike";

    /// <summary>Target: a SKU. Its demand × 0 to 0.05.</summary>
    public const string DemandDrop = "demand_drop";

    /// <summary>Target: a region. Its orders × 0 to 0.05, so every SKU loses that region's share.</summary>
    public const string RegionOutage = "region_outage";

    /// <summary>Target: a customer id. 30 to 240 orders per hour from one customer, so every SKU gains a little.</summary>
    public const string CustomerBurst = "customer_burst";

    /// <summary>Target: a SKU. Its unit price × 100 or × 0.01.</summary>
    public const string PriceError = "price_error";
}
