using System.Diagnostics;

namespace Platform.OnlineStore;

/// <summary>
/// Process-local online store and job state, for the embedded demo and tests: the same semantics as
/// <see cref="RedisOnlineStore"/> (compare-and-set on the offset, all-or-nothing commits, entity TTL by
/// <see cref="TimeProvider"/>, millisecond timestamps, copies in and out so callers cannot alias stored bytes).
/// </summary>
public sealed class InMemoryOnlineStore(OnlineStoreOptions? options = null, TimeProvider? time = null) : IOnlineFeatureStore, IFeatureStateStore, IDemandWindowStore
{
    private const string StoreTag = "memory";

    private readonly Lock _gate = new();
    private readonly TimeSpan _ttl = options?.EntityTtl ?? new OnlineStoreOptions().EntityTtl;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, (OnlineFeatures Features, DateTimeOffset ExpiresAt)> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DemandWindow Window, DateTimeOffset ExpiresAt)> _windows = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;
    private readonly Dictionary<(string Group, string Topic, int Partition), StoredPartition> _partitions = [];

    public Task<IReadOnlyList<OnlineFeatures?>> GetManyAsync(IReadOnlyList<string> entityKeys, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var now = _time.GetUtcNow();
        var results = new OnlineFeatures?[entityKeys.Count];
        lock (_gate)
        {
            for (var i = 0; i < results.Length; i++)
            {
                if (_entities.TryGetValue(entityKeys[i], out var stored))
                {
                    if (stored.ExpiresAt > now)
                    {
                        results[i] = stored.Features;
                    }
                    else
                    {
                        _entities.Remove(entityKeys[i]);
                    }
                }
            }
        }

        OnlineStoreMetrics.RecordRead(StoreTag, started, results);
        return Task.FromResult<IReadOnlyList<OnlineFeatures?>>(results);
    }

    public Task<IReadOnlyList<DemandWindow?>> GetDemandWindowsAsync(IReadOnlyList<string> entityKeys, CancellationToken ct = default)
    {
        var now = _time.GetUtcNow();
        var results = new DemandWindow?[entityKeys.Count];
        lock (_gate)
        {
            for (var i = 0; i < results.Length; i++)
            {
                if (_windows.TryGetValue(entityKeys[i], out var stored) && stored.ExpiresAt > now)
                {
                    results[i] = stored.Window;
                }
            }
        }

        return Task.FromResult<IReadOnlyList<DemandWindow?>>(results);
    }

    public Task<PartitionState> LoadPartitionAsync(string consumerGroup, string topic, int partition, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!_partitions.TryGetValue((consumerGroup, topic, partition), out var stored))
            {
                return Task.FromResult(new PartitionState(null, null, new Dictionary<string, byte[]>(StringComparer.Ordinal)));
            }

            var entities = new Dictionary<string, byte[]>(stored.Entities.Count, StringComparer.Ordinal);
            foreach (var (key, state) in stored.Entities)
            {
                entities[key] = state.ToArray();
            }

            return Task.FromResult(new PartitionState(stored.NextOffset, stored.Blob.ToArray(), entities));
        }
    }

    public Task CommitAsync(PartitionCommit commit, CancellationToken ct = default)
    {
        commit.Validate();
        ct.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var tag = OnlineStoreMetrics.Store(StoreTag);
        var now = _time.GetUtcNow();
        // Millisecond precision, as the Redis store keeps it, so both read back the same values.
        var written = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        var id = (commit.ConsumerGroup, commit.Topic, commit.Partition);
        lock (_gate)
        {
            _partitions.TryGetValue(id, out var stored);
            if (stored?.NextOffset != commit.ExpectedNextOffset)
            {
                OnlineStoreMetrics.CommitConflicts.Add(1, tag);
                throw new PartitionOwnershipLostException(commit.ConsumerGroup, commit.Topic, commit.Partition, commit.ExpectedNextOffset, stored?.NextOffset);
            }

            stored ??= _partitions[id] = new StoredPartition();
            stored.NextOffset = commit.NextOffset;
            stored.Blob = commit.PartitionBlob.ToArray();
            foreach (var (key, state) in commit.UpsertEntities)
            {
                stored.Entities[key] = state.ToArray();
            }

            foreach (var key in commit.DeleteEntities)
            {
                stored.Entities.Remove(key);
            }

            foreach (var row in commit.Features)
            {
                var features = new OnlineFeatures(
                    row.EntityKey,
                    DateTimeOffset.FromUnixTimeMilliseconds(row.EventTime.ToUnixTimeMilliseconds()),
                    row.SchemaHash,
                    new Dictionary<string, double>(row.Values, StringComparer.Ordinal),
                    written);
                _entities[row.EntityKey] = (features, now + _ttl);
            }

            foreach (var window in commit.DemandWindows)
            {
                // Copied, and with the millisecond as-of the Redis store keeps, so both read back the same window.
                _windows[window.EntityKey] = (new DemandWindow(
                    window.EntityKey,
                    window.End,
                    DateTimeOffset.FromUnixTimeMilliseconds(window.AsOf.ToUnixTimeMilliseconds()),
                    window.Units.Select(u => Math.Max(u, 0)).ToArray(),
                    window.Lines.Select(u => Math.Max(u, 0)).ToArray(),
                    window.PromoLines.Select(u => Math.Max(u, 0)).ToArray()), now + _ttl);
            }

            // Expired entities nobody reads again would otherwise stay forever, as Redis would not keep them.
            if (now >= _nextSweep)
            {
                SweepExpired(now);
                _nextSweep = now + TimeSpan.FromMinutes(1);
            }
        }

        OnlineStoreMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        return Task.CompletedTask;
    }

    private void SweepExpired(DateTimeOffset now)
    {
        foreach (var (key, stored) in _entities)
        {
            if (stored.ExpiresAt <= now)
            {
                _entities.Remove(key);
            }
        }

        foreach (var (key, stored) in _windows)
        {
            if (stored.ExpiresAt <= now)
            {
                _windows.Remove(key);
            }
        }
    }

    private sealed class StoredPartition
    {
        public long? NextOffset { get; set; }

        public byte[] Blob { get; set; } = [];

        public Dictionary<string, byte[]> Entities { get; } = new(StringComparer.Ordinal);
    }
}
