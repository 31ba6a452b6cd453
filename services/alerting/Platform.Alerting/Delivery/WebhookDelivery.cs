namespace Platform.Alerting.Delivery;

/// <summary>Queue message: POST <see cref="Notification"/> as Alertmanager's webhook JSON (version 4) to <see cref="Url"/>.</summary>
public sealed record WebhookDelivery
{
    public AlertNotification Notification { get; init; } = new();

    public string Url { get; init; } = "";

    /// <summary>Most alerts in the body; 0 for all. The rest are counted in truncatedAlerts.</summary>
    public int MaxAlerts { get; init; }
}
