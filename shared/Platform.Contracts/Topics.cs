namespace Platform.Contracts;

/// <summary>Kafka topic names. One place, so that services, tests and deployment files agree.</summary>
public static class Topics
{
    /// <summary>Order events as order systems publish them (<see cref="OrderEvent"/>), keyed by order id.</summary>
    public const string OrdersRaw = "orders.raw";

    /// <summary>Rejected input with a machine-readable reason (<see cref="OrderRejected"/>): the dead-letter topic of ingestion.</summary>
    public const string OrdersRejected = "orders.rejected";

    /// <summary>One message per accepted order line (<see cref="OrderLineValidated"/>), keyed by SKU.</summary>
    public const string OrdersValidated = "orders.validated";

    /// <summary>
    /// Order lines the feature store could not apply because they arrived after their event-time window closed (past the
    /// grace period): the <see cref="OrderLineValidated"/> unchanged, with the reason and watermark in headers. Keyed by SKU.
    /// </summary>
    public const string OrdersLate = "orders.late";

    /// <summary>
    /// Internal to the feature store: order lines re-keyed by category, so one partition sees all lines of a category.
    /// Same value as orders.validated.
    /// </summary>
    public const string FeatureCategoryLines = "features.category-lines";

    /// <summary>Feature changes per entity (<see cref="FeaturesUpdated"/>), keyed by entity key.</summary>
    public const string FeaturesUpdated = "features.updated";

    /// <summary>Latest demand forecast per SKU (<see cref="DemandForecast"/>); compacted, keyed by SKU.</summary>
    public const string ForecastsDemand = "forecasts.demand";

    /// <summary>Anomaly and risk warnings (<see cref="AnomalyAlert"/>), keyed by SKU.</summary>
    public const string AlertsAnomalies = "alerts.anomalies";

    /// <summary>Stock on hand per SKU from the inventory service (<see cref="InventoryLevel"/>), keyed by SKU.</summary>
    public const string InventoryLevels = "inventory.levels";

    public static readonly IReadOnlyList<string> All =
    [
        OrdersRaw, OrdersRejected, OrdersValidated, OrdersLate, FeatureCategoryLines, FeaturesUpdated, ForecastsDemand, AlertsAnomalies, InventoryLevels,
    ];
}
