namespace Platform.Alerting.Model;

/// <summary>
/// One alert (one fingerprint) as stored: what it is, where it stands, when it was first and last seen. One episode
/// runs from the first detection to its resolution; a detection after that starts a new episode (new starts_at, count 1).
/// </summary>
public sealed class AlertRecord
{
    public required string Fingerprint { get; init; }

    /// <summary>alertname, kind, sku, region, severity: what routing, grouping, inhibition and silences match on.</summary>
    public required Dictionary<string, string> Labels { get; set; }

    /// <summary>What the on-call person reads: summary, score, observed vs expected, model version, trace id.</summary>
    public required Dictionary<string, string> Annotations { get; set; }

    public AlertState State { get; set; }

    /// <summary>First detection of this episode.</summary>
    public DateTimeOffset StartsAt { get; set; }

    /// <summary>Last detection (engine clock); the alert resolves at <c>LastSeenAt + resolve_timeout</c>.</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Detections merged into this episode (redelivered detections are not counted again).</summary>
    public long Count { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>"timeout", or "api:{who}" for a resolution through the API.</summary>
    public string? ResolvedBy { get; set; }

    /// <summary>True once the resolution went through every group the alert was in (sent or muted), so a restart need not resend it.</summary>
    public bool ResolutionNotified { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public string? AcknowledgeComment { get; set; }

    /// <summary>Ids of the active silences that mute it.</summary>
    public List<string> SilencedBy { get; set; } = [];

    /// <summary>Fingerprints of the firing alerts that inhibit it.</summary>
    public List<string> InhibitedBy { get; set; } = [];

    /// <summary>Latest detection ids merged, newest last, so a redelivered detection is recognised and not counted twice.</summary>
    public List<string> RecentDetectionIds { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }

    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";
}
