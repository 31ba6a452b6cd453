using StackExchange.Redis;

namespace Platform.Ingestion.Dedup;

/// <summary>
/// Dedup store in Redis: one key per order with the window as its TTL, so every instance and every restart
/// sees the same state and Redis itself bounds it. Each call pipelines all its commands in one round trip.
/// </summary>
public sealed class RedisOrderDedupStore(IConnectionMultiplexer redis, TimeSpan window, string keyPrefix = "platform:ingestion:dedup:") : IOrderDedupStore
{
    public async Task<bool[]> ContainsAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var lookups = new Task<bool>[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            lookups[i] = batch.KeyExistsAsync(keyPrefix + keys[i]);
        }

        batch.Execute();
        return await Task.WhenAll(lookups).WaitAsync(ct);
    }

    public async Task AddAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var writes = new Task<bool>[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            writes[i] = batch.StringSetAsync(keyPrefix + keys[i], "1", window);
        }

        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(ct);
    }
}
