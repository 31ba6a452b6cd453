namespace Platform.Alerting.Model;

/// <summary>
/// What was last notified for one group to one integration (Alertmanager's notification log): the firing and resolved
/// alerts it carried and when. The engine notifies again only when the firing set grew, a resolution is new, or
/// repeat_interval passed; stored, so a restarted engine does not re-notify what was already sent.
/// </summary>
public sealed class NotificationLogEntry
{
    /// <summary>"{group key}|{receiver}/{channel}/{index}".</summary>
    public required string Key { get; init; }

    public required List<string> Firing { get; init; }

    public required List<string> Resolved { get; init; }

    public DateTimeOffset SentAt { get; init; }
}
