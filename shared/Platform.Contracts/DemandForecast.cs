namespace Platform.Contracts;

/// <summary>
/// The latest demand forecast of one SKU on forecasts.demand (compacted, keyed by SKU). Schema version 1.
/// </summary>
public sealed record DemandForecast
{
    public int SchemaVersion { get; init; } = 1;

    public string Sku { get; init; } = "";

    /// <summary>Region the forecast covers; "all" for the SKU's total demand.</summary>
    public string Region { get; init; } = "all";

    /// <summary>Registry version of the model that produced it.</summary>
    public string ModelVersion { get; init; } = "";

    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Event time of the newest features the forecast used.</summary>
    public DateTimeOffset FeatureAsOf { get; init; }

    /// <summary>Length of one step: "hour" or "day".</summary>
    public string StepUnit { get; init; } = "hour";

    public IReadOnlyList<ForecastStep> Steps { get; init; } = [];

    /// <summary>W3C trace id of the order that triggered this forecast.</summary>
    public string? TraceId { get; init; }
}

/// <summary>Quantiles of units demanded in one step of the horizon.</summary>
public sealed record ForecastStep
{
    /// <summary>1-based step number.</summary>
    public int Step { get; init; }

    public DateTimeOffset PeriodStart { get; init; }

    public double P10 { get; init; }

    public double P50 { get; init; }

    public double P90 { get; init; }
}
