using System.Diagnostics;

namespace Platform.OnlineStore;

public sealed class CachedOnlineFeatureStoreOptions
{
    /// <summary>No result older than this is served; age counts from when its fetch was sent. Zero disables caching.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>At most this many entities are held; beyond it the oldest fetched go first.</summary>
    public int MaxEntries { get; set; } = 100_000;
}

/// <summary>
/// A process-local cache in front of an online store for hot entities, with a hard staleness bound: fresh entries
/// are served from memory and all misses of a call go to the inner store in one call. Absent entities are cached
/// as absent, under the same bound. Concurrent misses for one key are not coalesced; each fetches.
/// </summary>
public sealed class CachedOnlineFeatureStore : IOnlineFeatureStore
{
    private const string StoreTag = "cache";

    private readonly IOnlineFeatureStore _inner;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxStaleness;
    private readonly int _maxEntries;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    // Fetch order, which is also expiry order (one staleness bound for all), so eviction only looks at the head.
    private readonly Queue<(string Key, long FetchedAt)> _fetchOrder = new();

    public CachedOnlineFeatureStore(IOnlineFeatureStore inner, CachedOnlineFeatureStoreOptions? options = null, TimeProvider? time = null)
    {
        options ??= new CachedOnlineFeatureStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxStaleness, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEntries, 1);
        _inner = inner;
        _time = time ?? TimeProvider.System;
        _maxStaleness = options.MaxStaleness;
        _maxEntries = options.MaxEntries;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public async Task<IReadOnlyList<OnlineFeatures?>> GetManyAsync(IReadOnlyList<string> entityKeys, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var results = new OnlineFeatures?[entityKeys.Count];
        Dictionary<string, List<int>>? misses = null;
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            for (var i = 0; i < results.Length; i++)
            {
                if (_entries.TryGetValue(entityKeys[i], out var entry) && IsFresh(entry.FetchedAt, now))
                {
                    results[i] = entry.Features;
                }
                else
                {
                    misses ??= new Dictionary<string, List<int>>(StringComparer.Ordinal);
                    if (!misses.TryGetValue(entityKeys[i], out var positions))
                    {
                        misses[entityKeys[i]] = positions = new List<int>(1);
                    }

                    positions.Add(i);
                }
            }
        }

        var tag = OnlineStoreMetrics.Store(StoreTag);
        var missCount = misses?.Values.Sum(p => p.Count) ?? 0;
        OnlineStoreMetrics.CacheHits.Add(results.Length - missCount, tag);
        OnlineStoreMetrics.CacheMisses.Add(missCount, tag);
        if (misses is not null)
        {
            var keys = misses.Keys.ToArray();
            // Stamped before the fetch: the inner store's answer is at least this fresh, never less.
            var fetchedAt = _time.GetTimestamp();
            var fetched = await _inner.GetManyAsync(keys, ct);
            lock (_gate)
            {
                for (var k = 0; k < keys.Length; k++)
                {
                    foreach (var i in misses[keys[k]])
                    {
                        results[i] = fetched[k];
                    }

                    if (_maxStaleness > TimeSpan.Zero)
                    {
                        _entries[keys[k]] = new Entry(fetched[k], fetchedAt);
                        _fetchOrder.Enqueue((keys[k], fetchedAt));
                    }
                }

                Evict(_time.GetTimestamp());
            }
        }

        OnlineStoreMetrics.RecordRead(StoreTag, started, results);
        return results;
    }

    private bool IsFresh(long fetchedAt, long now) => _time.GetElapsedTime(fetchedAt, now) < _maxStaleness;

    private void Evict(long now)
    {
        while (_fetchOrder.TryPeek(out var oldest) && (!IsFresh(oldest.FetchedAt, now) || _entries.Count > _maxEntries))
        {
            _fetchOrder.Dequeue();
            // A key fetched again later has a newer stamp; only remove the entry this queue item stands for.
            if (_entries.TryGetValue(oldest.Key, out var current) && current.FetchedAt == oldest.FetchedAt)
            {
                _entries.Remove(oldest.Key);
            }
        }
    }

    private readonly record struct Entry(OnlineFeatures? Features, long FetchedAt);
}
