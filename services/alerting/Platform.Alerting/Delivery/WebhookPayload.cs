using System.Text.Json.Serialization;

namespace Platform.Alerting.Delivery;

/// <summary>
/// The generic webhook body: Alertmanager's webhook format, version 4, so receivers written for Alertmanager work as
/// they are; plus notificationId, the same in every retry, for receivers that drop duplicates.
/// </summary>
public sealed class WebhookPayload
{
    [JsonPropertyName("version")]
    public string Version { get; init; } = "4";

    [JsonPropertyName("notificationId")]
    public required string NotificationId { get; init; }

    [JsonPropertyName("groupKey")]
    public required string GroupKey { get; init; }

    [JsonPropertyName("truncatedAlerts")]
    public int TruncatedAlerts { get; init; }

    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("receiver")]
    public required string Receiver { get; init; }

    [JsonPropertyName("groupLabels")]
    public required Dictionary<string, string> GroupLabels { get; init; }

    [JsonPropertyName("commonLabels")]
    public required Dictionary<string, string> CommonLabels { get; init; }

    [JsonPropertyName("commonAnnotations")]
    public required Dictionary<string, string> CommonAnnotations { get; init; }

    [JsonPropertyName("externalURL")]
    public string ExternalUrl { get; init; } = "";

    [JsonPropertyName("alerts")]
    public required List<WebhookAlert> Alerts { get; init; }

    public static WebhookPayload From(AlertNotification notification, int maxAlerts, string? externalUrl)
    {
        var alerts = maxAlerts > 0 ? notification.Alerts.Take(maxAlerts).ToList() : notification.Alerts;
        return new WebhookPayload
        {
            NotificationId = notification.NotificationId,
            GroupKey = notification.GroupKey,
            TruncatedAlerts = notification.Alerts.Count - alerts.Count,
            Status = notification.Status,
            Receiver = notification.Receiver,
            GroupLabels = notification.GroupLabels,
            CommonLabels = notification.CommonLabels,
            CommonAnnotations = notification.CommonAnnotations,
            ExternalUrl = externalUrl ?? "",
            Alerts = alerts.Select(a => new WebhookAlert
            {
                Status = a.Status,
                Labels = a.Labels,
                Annotations = a.Annotations,
                StartsAt = a.StartsAt,
                EndsAt = a.EndsAt,
                Fingerprint = a.Fingerprint,
                Count = a.Count,
            }).ToList(),
        };
    }
}

public sealed class WebhookAlert
{
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("labels")]
    public required Dictionary<string, string> Labels { get; init; }

    [JsonPropertyName("annotations")]
    public required Dictionary<string, string> Annotations { get; init; }

    [JsonPropertyName("startsAt")]
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>Absent while firing.</summary>
    [JsonPropertyName("endsAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? EndsAt { get; init; }

    [JsonPropertyName("fingerprint")]
    public required string Fingerprint { get; init; }

    /// <summary>Detections merged into the alert (an addition to Alertmanager's format).</summary>
    [JsonPropertyName("count")]
    public long Count { get; init; }
}
