using System.Text.Json.Serialization;

namespace Platform.Alerting.Delivery;

// PagerDuty Events API v2 (POST /v2/enqueue), field names as the API defines them. payload is required for trigger and
// left out for acknowledge and resolve, which need only routing_key, event_action and dedup_key.

/// <summary>One Events API v2 event.</summary>
public sealed class PagerDutyEvent
{
    [JsonPropertyName("routing_key")]
    public required string RoutingKey { get; init; }

    /// <summary>"trigger", "acknowledge" or "resolve".</summary>
    [JsonPropertyName("event_action")]
    public required string EventAction { get; init; }

    /// <summary>"platform-alert-{fingerprint}": the same for every event about one alert, across retries and restarts.</summary>
    [JsonPropertyName("dedup_key")]
    public required string DedupKey { get; init; }

    [JsonPropertyName("payload")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PagerDutyPayload? Payload { get; init; }

    [JsonPropertyName("client")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Client { get; init; }

    [JsonPropertyName("client_url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientUrl { get; init; }

    [JsonPropertyName("links")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<PagerDutyLink>? Links { get; init; }
}

/// <summary>The payload of a trigger event.</summary>
public sealed class PagerDutyPayload
{
    /// <summary>At most 1024 characters (PagerDuty's limit).</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>"critical", "error", "warning" or "info".</summary>
    [JsonPropertyName("severity")]
    public required string Severity { get; init; }

    /// <summary>ISO 8601: when the alert was last observed.</summary>
    [JsonPropertyName("timestamp")]
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The SKU.</summary>
    [JsonPropertyName("component")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Component { get; init; }

    /// <summary>The region.</summary>
    [JsonPropertyName("group")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Group { get; init; }

    /// <summary>The anomaly kind.</summary>
    [JsonPropertyName("class")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Class { get; init; }

    [JsonPropertyName("custom_details")]
    public required Dictionary<string, string> CustomDetails { get; init; }
}

public sealed class PagerDutyLink
{
    [JsonPropertyName("href")]
    public required string Href { get; init; }

    [JsonPropertyName("text")]
    public required string Text { get; init; }
}
