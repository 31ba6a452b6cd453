using Platform.Alerting.Model;

namespace Platform.Alerting.Delivery;

/// <summary>Maps an alert of a notification to its PagerDuty Events API v2 event.</summary>
public static class PagerDutyEvents
{
    public const string Trigger = "trigger";
    public const string Acknowledge = "acknowledge";
    public const string Resolve = "resolve";

    private const int MaxSummaryLength = 1024;

    /// <summary>Stable per alert (fingerprint): PagerDuty folds every event with it into one incident.</summary>
    public static string DedupKey(string fingerprint) => $"platform-alert-{fingerprint}";

    /// <param name="delivery">The queue message (routing key, fixed severity, forced action).</param>
    /// <param name="alert">The alert the event is about.</param>
    /// <param name="source">payload.source and client: the sending service.</param>
    /// <param name="externalUrl">Where this service is reachable, for client_url and links; null leaves them out.</param>
    public static PagerDutyEvent For(PagerDutyDelivery delivery, NotifiedAlert alert, string source, string? externalUrl)
    {
        var action = delivery.EventAction ?? (alert.Status == "resolved" ? Resolve : Trigger);
        var baseUrl = string.IsNullOrWhiteSpace(externalUrl) ? null : externalUrl.TrimEnd('/');
        return new PagerDutyEvent
        {
            RoutingKey = delivery.RoutingKey,
            EventAction = action,
            DedupKey = DedupKey(alert.Fingerprint),
            Payload = action == Trigger ? Payload(delivery, alert, source) : null,
            Client = action == Trigger ? source : null,
            ClientUrl = action == Trigger ? baseUrl : null,
            Links = action == Trigger && baseUrl is not null
                ? [new PagerDutyLink { Href = $"{baseUrl}/api/v1/alerts/{alert.Fingerprint}", Text = "Alert state (acknowledge, resolve, silence)" }]
                : null,
        };
    }

    private static PagerDutyPayload Payload(PagerDutyDelivery delivery, NotifiedAlert alert, string source)
    {
        var label = (string name) => alert.Labels.TryGetValue(name, out var v) ? v : "";
        var summary = alert.Annotations.TryGetValue("summary", out var s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : $"{label(AlertLabels.Kind)} for SKU {label(AlertLabels.Sku)} in {label(AlertLabels.Region)}";
        var severity = delivery.Severity ?? label(AlertLabels.Severity);
        var details = new Dictionary<string, string>(alert.Annotations, StringComparer.Ordinal)
        {
            ["fingerprint"] = alert.Fingerprint,
            ["kind"] = label(AlertLabels.Kind),
            ["sku"] = label(AlertLabels.Sku),
            ["region"] = label(AlertLabels.Region),
            ["severity"] = label(AlertLabels.Severity),
            ["first_seen"] = alert.StartsAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["last_seen"] = alert.LastSeenAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["count"] = alert.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        details.Remove("summary");
        return new PagerDutyPayload
        {
            Summary = summary.Length <= MaxSummaryLength ? summary : string.Concat(summary.AsSpan(0, MaxSummaryLength - 1), "…"),
            Source = source,
            // The contract's severities are PagerDuty's; anything else (never expected) is sent as a warning, not refused.
            Severity = AlertLabels.Severities.Contains(severity) ? severity : "warning",
            Timestamp = alert.LastSeenAt,
            Component = NullIfEmpty(label(AlertLabels.Sku)),
            Group = NullIfEmpty(label(AlertLabels.Region)),
            Class = NullIfEmpty(label(AlertLabels.Kind)),
            CustomDetails = details,
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
