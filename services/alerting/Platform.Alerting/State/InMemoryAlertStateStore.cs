using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Platform.Alerting.Model;

namespace Platform.Alerting.State;

/// <summary>
/// The embedded mode's store: one process, lost on exit. Entries are kept as their JSON, like Redis keeps them, so a
/// caller never shares a mutable object with the store and both stores behave the same.
/// </summary>
public sealed class InMemoryAlertStateStore(TimeProvider? time = null) : IAlertStateStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Entry> _alerts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _silences = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _log = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<AlertRecord>>(Live(_alerts, AlertStoreJsonContext.Default.AlertRecord));

    public Task<AlertRecord?> GetAlertAsync(string fingerprint, CancellationToken ct = default) =>
        Task.FromResult(Get(_alerts, fingerprint, AlertStoreJsonContext.Default.AlertRecord));

    public Task SaveAlertsAsync(IReadOnlyList<(AlertRecord Alert, TimeSpan? TimeToLive)> alerts, CancellationToken ct = default)
    {
        foreach (var (alert, ttl) in alerts)
        {
            _alerts[alert.Fingerprint] = new Entry(JsonSerializer.Serialize(alert, AlertStoreJsonContext.Default.AlertRecord), Expiry(ttl));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Silence>> ListSilencesAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Silence>>(Live(_silences, AlertStoreJsonContext.Default.Silence));

    public Task<Silence?> GetSilenceAsync(string id, CancellationToken ct = default) =>
        Task.FromResult(Get(_silences, id, AlertStoreJsonContext.Default.Silence));

    public Task SaveSilenceAsync(Silence silence, TimeSpan timeToLive, CancellationToken ct = default)
    {
        _silences[silence.Id] = new Entry(JsonSerializer.Serialize(silence, AlertStoreJsonContext.Default.Silence), Expiry(timeToLive));
        return Task.CompletedTask;
    }

    public Task<NotificationLogEntry?> GetNotificationLogAsync(string key, CancellationToken ct = default) =>
        Task.FromResult(Get(_log, key, AlertStoreJsonContext.Default.NotificationLogEntry));

    public Task SaveNotificationLogAsync(NotificationLogEntry entry, TimeSpan timeToLive, CancellationToken ct = default)
    {
        _log[entry.Key] = new Entry(JsonSerializer.Serialize(entry, AlertStoreJsonContext.Default.NotificationLogEntry), Expiry(timeToLive));
        return Task.CompletedTask;
    }

    private DateTimeOffset? Expiry(TimeSpan? ttl) => ttl is { } t ? _time.GetUtcNow() + t : null;

    private T? Get<T>(ConcurrentDictionary<string, Entry> entries, string key, JsonTypeInfo<T> type)
        where T : class
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt is { } expires && expires <= _time.GetUtcNow())
        {
            entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return null;
        }

        return JsonSerializer.Deserialize(entry.Json, type);
    }

    private List<T> Live<T>(ConcurrentDictionary<string, Entry> entries, JsonTypeInfo<T> type)
        where T : class
    {
        var result = new List<T>(entries.Count);
        foreach (var key in entries.Keys)
        {
            if (Get(entries, key, type) is { } value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    private sealed record Entry(string Json, DateTimeOffset? ExpiresAt);
}
