namespace Platform.Alerting.Configuration;

/// <summary>One delivery target of a receiver: a webhook, a Slack-compatible webhook or a PagerDuty service.</summary>
/// <param name="Receiver">Name of the receiver it belongs to.</param>
/// <param name="Channel">"webhook", "slack" or "pagerduty" (<see cref="Channels"/>).</param>
/// <param name="Index">Position among the receiver's integrations of that channel.</param>
/// <param name="Url">Where to POST.</param>
/// <param name="SendResolved">Whether resolutions are notified.</param>
/// <param name="RoutingKey">PagerDuty integration key.</param>
/// <param name="Severity">PagerDuty: fixed severity instead of the alert's.</param>
/// <param name="SlackChannel">Slack: channel override.</param>
/// <param name="MaxAlerts">Webhook: most alerts per notification, 0 for all.</param>
public sealed record Integration(
    string Receiver,
    string Channel,
    int Index,
    string Url,
    bool SendResolved,
    string? RoutingKey = null,
    string? Severity = null,
    string? SlackChannel = null,
    int MaxAlerts = 0)
{
    /// <summary>"{receiver}/{channel}/{index}": names the integration in the notification log, metrics and logs.</summary>
    public string Key => $"{Receiver}/{Channel}/{Index}";
}
