namespace Platform.Alerting.Delivery;

/// <summary>One alert inside a notification.</summary>
public sealed record NotifiedAlert
{
    /// <summary>16 hex digits of (kind, SKU, region): stable, the base of the PagerDuty dedup_key.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>"firing" or "resolved".</summary>
    public string Status { get; init; } = "";

    public Dictionary<string, string> Labels { get; init; } = [];

    public Dictionary<string, string> Annotations { get; init; } = [];

    public DateTimeOffset StartsAt { get; init; }

    /// <summary>When it resolved; null while firing.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    public DateTimeOffset LastSeenAt { get; init; }

    public long Count { get; init; }

    public string? AcknowledgedBy { get; init; }
}
