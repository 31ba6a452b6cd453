using Platform.Alerting.Model;

namespace Platform.Alerting.State;

/// <summary>
/// Where alerts, silences and the notification log live, so a restart (or a replacement instance) loses nothing: Redis in
/// deployments, memory in the embedded mode. Both implementations pass the same contract tests. Entries given a
/// time to live disappear after it; the lists skip what has expired.
/// </summary>
public interface IAlertStateStore
{
    Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(CancellationToken ct = default);

    Task<AlertRecord?> GetAlertAsync(string fingerprint, CancellationToken ct = default);

    /// <summary>Writes the alerts in one round trip. A time to live (resolved alerts) removes the alert after it; null keeps it.</summary>
    Task SaveAlertsAsync(IReadOnlyList<(AlertRecord Alert, TimeSpan? TimeToLive)> alerts, CancellationToken ct = default);

    Task<IReadOnlyList<Silence>> ListSilencesAsync(CancellationToken ct = default);

    Task<Silence?> GetSilenceAsync(string id, CancellationToken ct = default);

    Task SaveSilenceAsync(Silence silence, TimeSpan timeToLive, CancellationToken ct = default);

    Task<NotificationLogEntry?> GetNotificationLogAsync(string key, CancellationToken ct = default);

    Task SaveNotificationLogAsync(NotificationLogEntry entry, TimeSpan timeToLive, CancellationToken ct = default);
}
