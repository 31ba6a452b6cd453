namespace Platform.OnlineStore.Tests;

public sealed class CachedOnlineFeatureStoreTests
{
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromMilliseconds(500);

    private readonly ManualTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddYears(56));
    private readonly InMemoryOnlineStore _backing;
    private readonly RecordingStore _inner;
    private long _offset;

    public CachedOnlineFeatureStoreTests()
    {
        _backing = new InMemoryOnlineStore(time: _time);
        _inner = new RecordingStore(_backing);
    }

    [Fact]
    public async Task FreshEntries_AreServedFromMemory_OnlyMissesAreFetched_InOneCall()
    {
        await Write(("a", 1), ("b", 2), ("c", 3));
        var cache = Create();
        await cache.GetManyAsync(["a", "b"]);

        var results = await cache.GetManyAsync(["b", "c", "a", "missing"]);

        Assert.Equal([2, 3, 1], results.Take(3).Select(r => r!.Values["v"]));
        Assert.Null(results[3]);
        Assert.Equal([["a", "b"], ["c", "missing"]], _inner.Calls);
    }

    [Fact]
    public async Task NeverServesAnEntryOlderThanMaxStaleness()
    {
        await Write(("a", 1));
        var cache = Create();
        await cache.GetManyAsync(["a"]);
        await Write(("a", 2));

        _time.Advance(MaxStaleness - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, (await cache.GetAsync("a"))!.Values["v"]);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, (await cache.GetAsync("a"))!.Values["v"]);
        Assert.Equal(2, _inner.Calls.Count);
    }

    [Fact]
    public async Task Age_CountsFromWhenTheFetchWasSent_NotWhenItReturned()
    {
        await Write(("a", 1));
        var cache = Create();
        _inner.OnFetch = () => _time.Advance(TimeSpan.FromMilliseconds(400));
        await cache.GetManyAsync(["a"]);
        _inner.OnFetch = null;

        _time.Advance(TimeSpan.FromMilliseconds(100));
        await cache.GetManyAsync(["a"]);

        Assert.Equal(2, _inner.Calls.Count);
    }

    [Fact]
    public async Task AbsentEntities_AreCachedUnderTheSameBound()
    {
        var cache = Create();
        Assert.Null(await cache.GetAsync("later"));
        await Write(("later", 1));

        Assert.Null(await cache.GetAsync("later"));
        _time.Advance(MaxStaleness);
        Assert.NotNull(await cache.GetAsync("later"));
    }

    [Fact]
    public async Task RepeatedKeysInOneCall_AreFetchedOnce_AndFillEveryPosition()
    {
        await Write(("a", 1));
        var cache = Create();

        var results = await cache.GetManyAsync(["a", "x", "a"]);

        Assert.Equal(1, results[0]!.Values["v"]);
        Assert.Null(results[1]);
        Assert.Same(results[0], results[2]);
        Assert.Equal([["a", "x"]], _inner.Calls);
    }

    [Fact]
    public async Task EntryCount_StaysWithinMaxEntries()
    {
        var cache = Create(maxEntries: 3);

        await cache.GetManyAsync(Enumerable.Range(0, 10).Select(i => $"k{i}").ToList());
        await cache.GetManyAsync(["k9", "k0"]);

        Assert.True(cache.Count <= 3);
        Assert.Equal(["k0"], _inner.Calls[1]);
    }

    [Fact]
    public async Task ZeroStaleness_AlwaysFetches()
    {
        await Write(("a", 1));
        var cache = Create(maxStaleness: TimeSpan.Zero);

        await cache.GetAsync("a");
        await cache.GetAsync("a");

        Assert.Equal(2, _inner.Calls.Count);
        Assert.Equal(0, cache.Count);
    }

    private CachedOnlineFeatureStore Create(TimeSpan? maxStaleness = null, int maxEntries = 1000) =>
        new(_inner, new CachedOnlineFeatureStoreOptions { MaxStaleness = maxStaleness ?? MaxStaleness, MaxEntries = maxEntries }, _time);

    private Task Write(params (string Key, double Value)[] rows)
    {
        var expected = _offset == 0 ? (long?)null : _offset;
        _offset++;
        return _backing.CommitAsync(new PartitionCommit("g", "t", 0, expected, _offset, [])
        {
            Features = rows.Select(r => new FeatureRow(r.Key, _time.GetUtcNow(), "s", new Dictionary<string, double> { ["v"] = r.Value })).ToList(),
        });
    }

    private sealed class RecordingStore(IOnlineFeatureStore inner) : IOnlineFeatureStore
    {
        public List<string[]> Calls { get; } = [];

        public Action? OnFetch { get; set; }

        public Task<IReadOnlyList<OnlineFeatures?>> GetManyAsync(IReadOnlyList<string> entityKeys, CancellationToken ct = default)
        {
            Calls.Add([.. entityKeys]);
            OnFetch?.Invoke();
            return inner.GetManyAsync(entityKeys, ct);
        }
    }
}
