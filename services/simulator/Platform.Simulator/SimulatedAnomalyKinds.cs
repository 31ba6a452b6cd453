namespace Platform.Simulator;

/// <summary>Kinds of <see cref="InjectedAnomaly"/>; the meaning of Magnitude differs per kind.</summary>
public static class SimulatedAnomalyKinds
{
    /// <summary>One SKU's demand times <see cref="InjectedAnomaly.Magnitude"/> (3 to 10).</summary>
    public const string DemandSpike = "demand_spike";

    /// <summary>One SKU's demand falls to <see cref="InjectedAnomaly.Magnitude"/> of normal (0 to 0.05).</summary>
    public const string DemandDrop = "demand_drop";

    /// <summary>One region's orders fall to <see cref="InjectedAnomaly.Magnitude"/> of normal (0 to 0.05).</summary>
    public const string RegionOutage = "region_outage";

    /// <summary>One customer places orders at <see cref="InjectedAnomaly.Magnitude"/> orders per simulated hour.</summary>
    public const string CustomerBurst = "customer_burst";

    /// <summary>One SKU's price is multiplied by <see cref="InjectedAnomaly.Magnitude"/> (0.01 or 100).</summary>
    public const string PriceError = "price_error";

    public static readonly IReadOnlyList<string> All = [DemandSpike, DemandDrop, RegionOutage, CustomerBurst, PriceError];
}
