using System.Text.Json.Serialization;

namespace Platform.Cli;

/// <summary>The demo's closing summary; with --json, the last line of stdout. Later stages add fields.</summary>
public sealed record DemoSummary
{
    public required double DurationSeconds { get; init; }
    public required string Kafka { get; init; }
    public required string DedupStore { get; init; }
    public required long OrdersPublished { get; init; }
    public required long ValidOrdersPublished { get; init; }
    public required long MalformedPublished { get; init; }
    public required long DuplicatesPublished { get; init; }
    public required long OrdersIngested { get; init; }
    public required long OrderLinesValidated { get; init; }
    public required long Rejected { get; init; }
    public required long RejectedWithoutReason { get; init; }
    public required long RejectedWithUnexpectedReason { get; init; }
    public required long Duplicates { get; init; }
    public required long DuplicateLinesOnValidated { get; init; }
    public required long Lost { get; init; }
    public required double OrdersPerSecond { get; init; }
    public required double IngestLagMsP50 { get; init; }
    public required double IngestLagMsP99 { get; init; }
    public required string FeatureStore { get; init; }

    /// <summary>Entities (SKU, SKU × region, category) with features when the run ended.</summary>
    public required long FeatureEntities { get; init; }

    public required long FeatureLinesApplied { get; init; }

    /// <summary>Validated lines the feature store neither applied nor reported late or duplicate: must be 0.</summary>
    public required long FeatureLinesUnaccounted { get; init; }

    /// <summary>Notices published on features.updated (coalesced per entity per flush).</summary>
    public required long FeatureUpdates { get; init; }

    /// <summary>Lines past the grace period, sent to orders.late (both streams).</summary>
    public required long LateEvents { get; init; }

    /// <summary>99th percentile of one read of 100 entities from the online store, sampled through the run.</summary>
    public required double OnlineReadP99Ms { get; init; }

    public required long OnlineReads { get; init; }

    public required bool Healthy { get; init; }

    /// <summary>Simulated orders before the run: the first model's training data and the feature store's backfill.</summary>
    public long HistoryOrders { get; init; }

    /// <summary>Version of the model the run served (trained at start on the history).</summary>
    public string ModelVersion { get; init; } = "";

    /// <summary>Records on forecasts.demand (one per SKU each time its features or the hour change).</summary>
    public long ForecastsEmitted { get; init; }

    /// <summary>Records on alerts.anomalies: demand spikes and drops, order risk, regional order drops and stockout risk.</summary>
    public long AnomaliesDetected { get; init; }

    public long StockoutAlerts { get; init; }

    /// <summary>Notifications the alerting service delivered (after grouping, deduplication and inhibition).</summary>
    public long AlertsNotified { get; init; }

    /// <summary>Notifications that exhausted their retries (dead-lettered).</summary>
    public long NotificationFailures { get; init; }

    /// <summary>PagerDuty Events v2 events the demo's own receiver accepted; null when --webhook sent them elsewhere.</summary>
    public long? PagerDutyEventsReceived { get; init; }

    /// <summary>Anomalies the simulator injected (labelled) during the run.</summary>
    public int InjectedAnomalies { get; init; }

    /// <summary>Injected anomalies that an alert on alerts.anomalies names (kind, SKU / region / customer, time).</summary>
    public int InjectedAnomaliesDetected { get; init; }

    /// <summary>"detected/injected" per kind of injected anomaly.</summary>
    public Dictionary<string, string> InjectedDetectedByKind { get; init; } = [];

    /// <summary>Anomaly alerts (stockout risk aside) that no injected anomaly explains.</summary>
    public int AnomalyAlertsUnlabelled { get; init; }

    /// <summary>From publishing an order to the first forecast made from its features, over the orders that led to one.</summary>
    public double OrderToForecastMsP50 { get; init; }

    public double OrderToForecastMsP99 { get; init; }

    public int OrderToForecastSamples { get; init; }

    /// <summary>Times the simulated inventory's stock on hand fell below the P90 demand over its lead time.</summary>
    public int StockoutIncidents { get; init; }

    /// <summary>Of those, how many a stockout_risk alert flagged (same SKU, within two simulated hours).</summary>
    public int StockoutIncidentsDetected { get; init; }

    public long InventoryLevelsPublished { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DemoSummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
