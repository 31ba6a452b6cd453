using Platform.Ingestion.Dedup;
using Platform.IntegrationTests.Fixtures;
using Platform.Testing;

namespace Platform.IntegrationTests;

/// <summary>One contract, two implementations: what ingestion relies on from its dedup store.</summary>
public abstract class OrderDedupStoreContractTests
{
    protected abstract IOrderDedupStore Create(TimeSpan window);

    [Fact]
    public async Task DedupStore_RemembersAddedKeysAndOnlyThose()
    {
        var store = Create(TimeSpan.FromMinutes(5));
        var prefix = Guid.NewGuid().ToString("N");
        await store.AddAsync([$"{prefix}:a", $"{prefix}:b"]);

        var seen = await store.ContainsAsync([$"{prefix}:a", $"{prefix}:c", $"{prefix}:b"]);

        Assert.Equal([true, false, true], seen);
    }

    [Fact]
    public async Task DedupStore_EmptyBatches_AreNoOps()
    {
        var store = Create(TimeSpan.FromMinutes(5));
        await store.AddAsync([]);
        Assert.Empty(await store.ContainsAsync([]));
    }

    [Fact]
    public async Task DedupStore_ForgetsKeysAfterTheWindow()
    {
        var store = Create(TimeSpan.FromMilliseconds(300));
        var key = Guid.NewGuid().ToString("N");
        await store.AddAsync([key]);
        Assert.Equal(new bool[] { true }, await store.ContainsAsync([key]));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await store.ContainsAsync([key]))[0] && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(new bool[] { false }, await store.ContainsAsync([key]));
    }

    [Fact]
    public async Task DedupStore_ASecondInstanceOnTheSameStateSeesTheKeys()
    {
        var key = Guid.NewGuid().ToString("N");
        await Create(TimeSpan.FromMinutes(5)).AddAsync([key]);
        if (SharesState)
        {
            Assert.Equal(new bool[] { true }, await Create(TimeSpan.FromMinutes(5)).ContainsAsync([key]));
        }
        else
        {
            // The in-memory store is per process by design: a second instance starts empty.
            Assert.Equal(new bool[] { false }, await Create(TimeSpan.FromMinutes(5)).ContainsAsync([key]));
        }
    }

    protected abstract bool SharesState { get; }
}

public sealed class InMemoryOrderDedupStoreTests : OrderDedupStoreContractTests
{
    protected override bool SharesState => false;

    protected override IOrderDedupStore Create(TimeSpan window) => new InMemoryOrderDedupStore(window, capacity: 1_000, TimeProvider.System);

    [Fact]
    public async Task InMemoryDedupStore_StaysWithinCapacityForgettingTheOldestFirst()
    {
        var store = new InMemoryOrderDedupStore(TimeSpan.FromHours(1), capacity: 1_000, TimeProvider.System);
        for (var i = 0; i < 5_000; i++)
        {
            await store.AddAsync([$"k{i}"]);
        }

        Assert.True(store.Count <= 1_000);
        Assert.Equal(new bool[] { false, true }, await store.ContainsAsync(["k0", "k4999"]));
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisOrderDedupStoreTests(RedisFixture redis) : OrderDedupStoreContractTests
{
    protected override bool SharesState => true;

    protected override IOrderDedupStore Create(TimeSpan window) =>
        new RedisOrderDedupStore(StackExchange.Redis.ConnectionMultiplexer.Connect(redis.Configuration), window);
}
