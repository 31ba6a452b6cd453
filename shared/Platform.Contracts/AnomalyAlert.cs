namespace Platform.Contracts;

/// <summary>An anomaly or risk warning on alerts.anomalies, keyed by SKU. Schema version 1.</summary>
public sealed record AnomalyAlert
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>Unique id of this detection.</summary>
    public string AlertId { get; init; } = "";

    /// <summary>One of <see cref="AnomalyKinds"/>.</summary>
    public string Kind { get; init; } = "";

    public string Sku { get; init; } = "";

    public string Region { get; init; } = "all";

    /// <summary>"critical", "warning" or "info".</summary>
    public string Severity { get; init; } = "";

    /// <summary>Anomaly score in [0, 1].</summary>
    public double Score { get; init; }

    /// <summary>The value that was judged (units, price or orders).</summary>
    public double Observed { get; init; }

    public double ExpectedP10 { get; init; }

    public double ExpectedP50 { get; init; }

    public double ExpectedP90 { get; init; }

    public DateTimeOffset WindowStart { get; init; }

    public DateTimeOffset WindowEnd { get; init; }

    public DateTimeOffset DetectedAt { get; init; }

    public string ModelVersion { get; init; } = "";

    /// <summary>W3C trace id of the order that led to the detection.</summary>
    public string? TraceId { get; init; }

    /// <summary>One sentence for the on-call person.</summary>
    public string Summary { get; init; } = "";

    /// <summary>The inputs that moved most, largest first.</summary>
    public IReadOnlyList<AnomalyContributor> Contributors { get; init; } = [];
}

public sealed record AnomalyContributor
{
    public string Name { get; init; } = "";

    public double Value { get; init; }

    public double Baseline { get; init; }
}

public static class AnomalyKinds
{
    public const string DemandSpike = "demand_spike";
    public const string DemandDrop = "demand_drop";
    public const string StockoutRisk = "stockout_risk";
    public const string OrderRisk = "order_risk";

    /// <summary>A region's orders fell far below its usual share of all orders; <see cref="AnomalyAlert.Sku"/> is empty.</summary>
    public const string OrderVolumeDrop = "order_volume_drop";
}
