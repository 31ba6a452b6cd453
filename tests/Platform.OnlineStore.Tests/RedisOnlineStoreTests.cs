using Platform.Testing;
using StackExchange.Redis;

namespace Platform.OnlineStore.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisOnlineStoreTests(RedisFixture redis) : RedisContractTests(redis, RedisReadMode.Packed);

/// <summary>The same contract read with one MGET of the <c>featp:</c> strings (the default mode).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisPackedStringsOnlineStoreTests(RedisFixture redis) : RedisContractTests(redis, RedisReadMode.PackedStrings)
{
    [Fact]
    public void IsTheDefaultMode() => Assert.Equal(RedisReadMode.PackedStrings, new OnlineStoreOptions().ReadMode);

    [Fact]
    public async Task RowWithoutPackedString_IsReadFromItsHash()
    {
        // As written before the featp: copy existed: only the hash.
        await Store.Writer.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, [])
        {
            Features =
            [
                new FeatureRow(Key("old"), DateTimeOffset.UnixEpoch, "s", new Dictionary<string, double> { ["units"] = 4 }),
                new FeatureRow(Key("new"), DateTimeOffset.UnixEpoch, "s", new Dictionary<string, double> { ["units"] = 5 }),
            ],
        });
        await Db.KeyDeleteAsync(RedisOnlineStore.PackedKey(Key("old")));

        var results = await Store.Reader.GetManyAsync([Key("missing"), Key("old"), Key("new"), Key("old")]);

        Assert.Null(results[0]);
        Assert.Equal(4, results[1]!.Values["units"]);
        Assert.Equal(5, results[2]!.Values["units"]);
        Assert.Equal(4, results[3]!.Values["units"]);
    }
}

/// <summary>The same contract read through the per-feature fields (what other tools see).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisHashReadOnlineStoreTests(RedisFixture redis) : RedisContractTests(redis, RedisReadMode.HashPipeline);

/// <summary>The same contract read through the Lua script.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisScriptReadOnlineStoreTests(RedisFixture redis) : RedisContractTests(redis, RedisReadMode.HashScript);

public abstract class RedisContractTests : OnlineStoreContractTests
{
    private readonly IDatabase _db;

    protected IDatabase Db => _db;
    private readonly RedisOnlineStore _store;

    protected RedisContractTests(RedisFixture redis, RedisReadMode readMode)
    {
        _db = redis.Connection.GetDatabase();
        _store = new RedisOnlineStore(redis.Connection, new OnlineStoreOptions { EntityTtl = Ttl, ReadMode = readMode }, Time);
    }

    protected override (IOnlineFeatureStore Reader, IFeatureStateStore Writer) Store => (_store, _store);

    protected override async Task AssertExpiresAfterTtlAsync(string entityKey, Func<Task> rewrite)
    {
        // The entity's row is its hash and the packed copy: both carry the TTL and expire together.
        RedisKey[] keys = [RedisOnlineStore.FeatureKey(entityKey), RedisOnlineStore.PackedKey(entityKey)];
        foreach (var key in keys)
        {
            Assert.InRange((await _db.KeyTimeToLiveAsync(key))!.Value, Ttl - TimeSpan.FromMinutes(1), Ttl);

            // As if most of the TTL had passed: the next write must start it afresh.
            await _db.KeyExpireAsync(key, TimeSpan.FromMinutes(1));
        }

        await rewrite();
        foreach (var key in keys)
        {
            Assert.InRange((await _db.KeyTimeToLiveAsync(key))!.Value, Ttl - TimeSpan.FromMinutes(1), Ttl);
            await _db.KeyExpireAsync(key, TimeSpan.FromMilliseconds(20));
        }

        await Task.Delay(100);
        Assert.Null(await _store.GetAsync(entityKey));
    }

    [Fact]
    public async Task Layout_IsTheDocumentedOne()
    {
        var group = Key("g");
        await _store.CommitAsync(new PartitionCommit(group, "orders.validated", 4, null, 42, [7])
        {
            UpsertEntities = new Dictionary<string, byte[]> { ["sku-1"] = [1, 2] },
            Features = [new FeatureRow(Key("sku-1"), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), "abc", new Dictionary<string, double> { ["units"] = 0.1 })],
        });

        var entity = (await _db.HashGetAllAsync($"feat:{Key("sku-1")}")).ToDictionary(e => (string)e.Name!, e => e.Value);
        var partition = (await _db.HashGetAllAsync($"fsstate:{group}:orders.validated:4")).ToDictionary(e => (string)e.Name!, e => e.Value);

        Assert.Equal("0.1", (string?)entity["units"]);
        Assert.Equal("1700000000123", (string?)entity["_ts"]);
        Assert.Equal("abc", (string?)entity["_schema"]);
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)entity["_written"]);
        Assert.Equal("42", (string?)partition["_offset"]);
        Assert.Equal([7], (byte[]?)partition["_blob"]);
        Assert.Equal([1, 2], (byte[]?)partition["e:sku-1"]);
        Assert.True(entity.ContainsKey("_packed"));
        Assert.Equal(8, entity.Count + partition.Count);
        Assert.InRange((await _db.KeyTimeToLiveAsync($"feat:{Key("sku-1")}"))!.Value, Ttl - TimeSpan.FromMinutes(1), Ttl);

        // The packed copy read by MGET: a string of the same bytes with the same TTL.
        Assert.Equal(RedisType.String, await _db.KeyTypeAsync($"featp:{Key("sku-1")}"));
        Assert.Equal((byte[]?)entity["_packed"], (byte[]?)await _db.StringGetAsync($"featp:{Key("sku-1")}"));
        Assert.InRange((await _db.KeyTimeToLiveAsync($"featp:{Key("sku-1")}"))!.Value, Ttl - TimeSpan.FromMinutes(1), Ttl);
    }

    [Fact]
    public async Task UnreadableEntity_IsServedAsAbsent_OthersUnaffected()
    {
        await _db.HashSetAsync($"feat:{Key("broken")}",
            [new HashEntry("units", "not-a-number"), new HashEntry("_ts", 1), new HashEntry("_schema", "s"), new HashEntry("_packed", new byte[] { 1, 2, 3 })]);
        await _db.StringSetAsync($"featp:{Key("broken")}", new byte[] { 1, 2, 3 });
        await _db.StringSetAsync($"featp:{Key("empty")}", Array.Empty<byte>());
        await _db.StringSetAsync($"featp:{Key("unknown-version")}", new byte[30]);
        await _store.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, [])
        {
            Features = [new FeatureRow(Key("ok"), DateTimeOffset.UnixEpoch, "s", new Dictionary<string, double> { ["units"] = 1 })],
        });

        var results = await _store.GetManyAsync([Key("broken"), Key("ok"), Key("empty"), Key("unknown-version")]);

        Assert.Null(results[0]);
        Assert.NotNull(results[1]);
        Assert.Null(results[2]);
        Assert.Null(results[3]);
    }
}
