namespace Platform.Alerting.Delivery;

/// <summary>Queue message: POST <see cref="Notification"/> as a Slack incoming-webhook message ({"text", "blocks"}) to <see cref="Url"/>.</summary>
public sealed record SlackDelivery
{
    public AlertNotification Notification { get; init; } = new();

    public string Url { get; init; } = "";

    public string? Channel { get; init; }
}
