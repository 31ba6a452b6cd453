namespace Platform.Alerting.Delivery;

/// <summary>
/// Queue message: one PagerDuty Events API v2 event per alert of <see cref="Notification"/>, POSTed to <see cref="Url"/>:
/// trigger for firing alerts, resolve for resolved ones, or <see cref="EventAction"/> for all when set (an acknowledge or
/// resolve from the API).
/// </summary>
public sealed record PagerDutyDelivery
{
    public AlertNotification Notification { get; init; } = new();

    public string Url { get; init; } = "";

    public string RoutingKey { get; init; } = "";

    /// <summary>Fixed payload.severity; null uses each alert's severity label.</summary>
    public string? Severity { get; init; }

    /// <summary>"acknowledge" or "resolve" for every alert; null chooses by each alert's status.</summary>
    public string? EventAction { get; init; }
}
