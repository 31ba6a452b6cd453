using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Platform.Alerting.Model;
using StackExchange.Redis;

namespace Platform.Alerting.State;

/// <summary>
/// Alert state in Redis: one JSON string per alert, silence and notification-log entry, with a set per kind as the
/// index. Times to live are Redis expiries; an index member whose key has expired is removed when a list meets it.
/// Keys: {prefix}alert:{fingerprint}, {prefix}alerts, {prefix}silence:{id}, {prefix}silences, {prefix}nflog:{key}.
/// </summary>
public sealed class RedisAlertStateStore(IConnectionMultiplexer redis, string keyPrefix = "alerting:") : IAlertStateStore
{
    private readonly RedisKey _alertIndex = keyPrefix + "alerts";
    private readonly RedisKey _silenceIndex = keyPrefix + "silences";

    private IDatabase Db => redis.GetDatabase();

    public Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(CancellationToken ct = default) =>
        ListAsync(_alertIndex, AlertKey, AlertStoreJsonContext.Default.AlertRecord);

    public async Task<AlertRecord?> GetAlertAsync(string fingerprint, CancellationToken ct = default) =>
        Read(await Db.StringGetAsync(AlertKey(fingerprint)), AlertStoreJsonContext.Default.AlertRecord);

    public async Task SaveAlertsAsync(IReadOnlyList<(AlertRecord Alert, TimeSpan? TimeToLive)> alerts, CancellationToken ct = default)
    {
        if (alerts.Count == 0)
        {
            return;
        }

        var batch = Db.CreateBatch();
        var writes = new List<Task>(alerts.Count * 2);
        foreach (var (alert, ttl) in alerts)
        {
            var json = JsonSerializer.Serialize(alert, AlertStoreJsonContext.Default.AlertRecord);
            var key = AlertKey(alert.Fingerprint);
            // Without a time to live, SET also clears an earlier one (a resolved alert that fires again is kept).
            writes.Add(ttl is { } t ? batch.StringSetAsync(key, json, t) : batch.StringSetAsync(key, json));
            writes.Add(batch.SetAddAsync(_alertIndex, alert.Fingerprint));
        }

        batch.Execute();
        await Task.WhenAll(writes);
    }

    public Task<IReadOnlyList<Silence>> ListSilencesAsync(CancellationToken ct = default) =>
        ListAsync(_silenceIndex, SilenceKey, AlertStoreJsonContext.Default.Silence);

    public async Task<Silence?> GetSilenceAsync(string id, CancellationToken ct = default) =>
        Read(await Db.StringGetAsync(SilenceKey(id)), AlertStoreJsonContext.Default.Silence);

    public async Task SaveSilenceAsync(Silence silence, TimeSpan timeToLive, CancellationToken ct = default)
    {
        var batch = Db.CreateBatch();
        var set = batch.StringSetAsync(SilenceKey(silence.Id), JsonSerializer.Serialize(silence, AlertStoreJsonContext.Default.Silence), timeToLive);
        var index = batch.SetAddAsync(_silenceIndex, silence.Id);
        batch.Execute();
        await Task.WhenAll(set, index);
    }

    public async Task<NotificationLogEntry?> GetNotificationLogAsync(string key, CancellationToken ct = default) =>
        Read(await Db.StringGetAsync(LogKey(key)), AlertStoreJsonContext.Default.NotificationLogEntry);

    public Task SaveNotificationLogAsync(NotificationLogEntry entry, TimeSpan timeToLive, CancellationToken ct = default) =>
        Db.StringSetAsync(LogKey(entry.Key), JsonSerializer.Serialize(entry, AlertStoreJsonContext.Default.NotificationLogEntry), timeToLive);

    private RedisKey AlertKey(string fingerprint) => keyPrefix + "alert:" + fingerprint;

    private RedisKey SilenceKey(string id) => keyPrefix + "silence:" + id;

    private RedisKey LogKey(string key) => keyPrefix + "nflog:" + key;

    private async Task<IReadOnlyList<T>> ListAsync<T>(RedisKey index, Func<string, RedisKey> keyOf, JsonTypeInfo<T> type)
        where T : class
    {
        var members = await Db.SetMembersAsync(index);
        if (members.Length == 0)
        {
            return [];
        }

        var values = await Db.StringGetAsync(members.Select(m => keyOf(m.ToString())).ToArray());
        var result = new List<T>(values.Length);
        var expired = new List<RedisValue>();
        for (var i = 0; i < values.Length; i++)
        {
            if (Read(values[i], type) is { } value)
            {
                result.Add(value);
            }
            else
            {
                expired.Add(members[i]);
            }
        }

        if (expired.Count > 0)
        {
            await Db.SetRemoveAsync(index, expired.ToArray());
        }

        return result;
    }

    private static T? Read<T>(RedisValue value, JsonTypeInfo<T> type)
        where T : class =>
        value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)value!, type);
}
