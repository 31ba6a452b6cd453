using Platform.Alerting.Model;

namespace Platform.Alerting.Engine;

/// <summary>
/// Whether a group must be notified to one integration now: Alertmanager's DedupStage.needsUpdate, plus one rule of ours
/// (acknowledged alerts are not repeated).
/// </summary>
internal static class NotificationDecision
{
    /// <param name="last">What was last sent to this integration for this group; null if nothing.</param>
    /// <param name="firing">Unmuted firing (or acknowledged) alerts of the group now.</param>
    /// <param name="resolved">Unmuted resolved alerts of the group now.</param>
    /// <param name="sendResolved">Whether the integration is told about resolutions.</param>
    /// <param name="repeatInterval">The route's repeat_interval.</param>
    /// <param name="now">The engine's clock.</param>
    public static bool NeedsUpdate(
        NotificationLogEntry? last, IReadOnlyCollection<AlertRecord> firing, IReadOnlyCollection<AlertRecord> resolved,
        bool sendResolved, TimeSpan repeatInterval, DateTimeOffset now)
    {
        if (last is null)
        {
            // Never notified: only firing alerts are worth a first notification.
            return firing.Count > 0;
        }

        var notifiedFiring = last.Firing.ToHashSet(StringComparer.Ordinal);
        if (firing.Any(a => !notifiedFiring.Contains(a.Fingerprint)))
        {
            return true;
        }

        if (firing.Count == 0)
        {
            // Everything the receiver knew as firing has resolved: tell it (or, without send_resolved, at least clear the
            // log). Alerts that fired and resolved within one interval were never told, so they need nothing.
            return last.Firing.Count > 0;
        }

        if (sendResolved && resolved.Any(a => !last.Resolved.Contains(a.Fingerprint, StringComparer.Ordinal)))
        {
            return true;
        }

        // Someone owns every firing alert: repeating would only page them again for what they already hold.
        if (firing.All(a => a.State == AlertState.Acknowledged))
        {
            return false;
        }

        return last.SentAt + repeatInterval <= now;
    }
}
