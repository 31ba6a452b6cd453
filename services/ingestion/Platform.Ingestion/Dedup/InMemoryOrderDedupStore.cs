namespace Platform.Ingestion.Dedup;

/// <summary>
/// Process-local dedup store: keys expire after the window, and beyond <c>capacity</c> the oldest are
/// forgotten first, so memory stays bounded whatever the order rate.
/// </summary>
public sealed class InMemoryOrderDedupStore(TimeSpan window, int capacity, TimeProvider time) : IOrderDedupStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _expiresAt = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long ExpiresAt)> _insertionOrder = new();

    public Task<bool[]> ContainsAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcTicks;
        var result = new bool[keys.Count];
        lock (_gate)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                result[i] = _expiresAt.TryGetValue(keys[i], out var expires) && expires > now;
            }
        }

        return Task.FromResult(result);
    }

    public Task AddAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcTicks;
        var expires = now + window.Ticks;
        lock (_gate)
        {
            foreach (var key in keys)
            {
                _expiresAt[key] = expires;
                _insertionOrder.Enqueue((key, expires));
            }

            Evict(now);
        }

        return Task.CompletedTask;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _expiresAt.Count;
            }
        }
    }

    private void Evict(long now)
    {
        while (_insertionOrder.TryPeek(out var oldest) && (oldest.ExpiresAt <= now || _expiresAt.Count > capacity))
        {
            _insertionOrder.Dequeue();
            // A key re-added later has a newer expiry; only remove the entry this queue item stands for.
            if (_expiresAt.TryGetValue(oldest.Key, out var current) && current == oldest.ExpiresAt)
            {
                _expiresAt.Remove(oldest.Key);
            }
        }
    }
}
