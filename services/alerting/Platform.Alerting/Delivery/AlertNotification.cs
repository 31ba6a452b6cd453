namespace Platform.Alerting.Delivery;

/// <summary>
/// What the engine decided to tell one integration about one group: the group's firing alerts (and resolved ones where
/// the integration wants them). Carried inside the channel's delivery message; the channel's consumer renders it.
/// </summary>
public sealed record AlertNotification
{
    /// <summary>Unique per decision; every retry and redelivery of the message carries the same id, so receivers can drop copies.</summary>
    public string NotificationId { get; init; } = "";

    public string GroupKey { get; init; } = "";

    public string Receiver { get; init; } = "";

    /// <summary>"firing" when any alert fires, else "resolved".</summary>
    public string Status { get; init; } = "";

    public Dictionary<string, string> GroupLabels { get; init; } = [];

    public Dictionary<string, string> CommonLabels { get; init; } = [];

    public Dictionary<string, string> CommonAnnotations { get; init; } = [];

    public List<NotifiedAlert> Alerts { get; init; } = [];

    /// <summary>When the engine decided; delivery latency is measured from here.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
