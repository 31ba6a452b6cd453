using Platform.Alerting.Configuration;
using Platform.Alerting.Delivery;
using Platform.Alerting.Model;

namespace Platform.Alerting.Engine;

/// <summary>Builds what a group tells an integration: its alerts, and the labels and annotations they share.</summary>
internal static class GroupNotifications
{
    public static AlertNotification For(AggregationGroup group, Integration integration, IReadOnlyList<AlertRecord> alerts, DateTimeOffset now) => new()
    {
        NotificationId = Guid.NewGuid().ToString("N"),
        GroupKey = group.Key,
        Receiver = integration.Receiver,
        Status = alerts.Any(a => a.State != AlertState.Resolved) ? "firing" : "resolved",
        GroupLabels = new(group.Labels, StringComparer.Ordinal),
        CommonLabels = Common(alerts.Select(a => a.Labels)),
        CommonAnnotations = Common(alerts.Select(a => a.Annotations)),
        Alerts = alerts.Select(ToNotified).ToList(),
        CreatedAt = now,
    };

    public static NotifiedAlert ToNotified(AlertRecord alert) => new()
    {
        Fingerprint = alert.Fingerprint,
        Status = alert.State == AlertState.Resolved ? "resolved" : "firing",
        Labels = new(alert.Labels, StringComparer.Ordinal),
        Annotations = new(alert.Annotations, StringComparer.Ordinal),
        StartsAt = alert.StartsAt,
        EndsAt = alert.State == AlertState.Resolved ? alert.ResolvedAt : null,
        LastSeenAt = alert.LastSeenAt,
        Count = alert.Count,
        AcknowledgedBy = alert.AcknowledgedBy,
    };

    /// <summary>The pairs every set has with the same value.</summary>
    private static Dictionary<string, string> Common(IEnumerable<Dictionary<string, string>> sets)
    {
        Dictionary<string, string>? common = null;
        foreach (var set in sets)
        {
            if (common is null)
            {
                common = new Dictionary<string, string>(set, StringComparer.Ordinal);
                continue;
            }

            foreach (var (name, value) in common.ToList())
            {
                if (!set.TryGetValue(name, out var other) || other != value)
                {
                    common.Remove(name);
                }
            }
        }

        return common ?? [];
    }
}
