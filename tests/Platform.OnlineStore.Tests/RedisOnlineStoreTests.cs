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

    [Fact]
    public async Task ManyWideRows_EachKeepsItsOwnValues_AfterLaterReads()
    {
        // 400 rows of 30 values: 96 KB of values, copied out of the pooled reply into several shared chunks.
        Dictionary<string, double> Values(int row, double offset) =>
            Enumerable.Range(0, 30).ToDictionary(f => $"f{f:00}", f => (row * 1000.0) + f + offset);
        var first = Enumerable.Range(0, 400).Select(i => new FeatureRow(Key($"wide-{i}"), DateTimeOffset.UnixEpoch, "s", Values(i, 0.25))).ToList();
        var second = Enumerable.Range(0, 400).Select(i => new FeatureRow(Key($"other-{i}"), DateTimeOffset.UnixEpoch, "s", Values(i, -0.5))).ToList();
        await Store.Writer.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, []) { Features = [.. first, .. second] });

        var kept = await Store.Reader.GetManyAsync(first.Select(r => r.EntityKey).ToList());

        // Reads after it reuse the client's reply buffers: what the first read returned must not change.
        for (var read = 0; read < 3; read++)
        {
            var later = await Store.Reader.GetManyAsync(second.Select(r => r.EntityKey).ToList());
            Assert.Equal(399_028.5, later[399]!.Values["f29"]);
        }

        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].EntityKey, kept[i]!.EntityKey);
            Assert.Equal(first[i].Values, kept[i]!.Values);
        }
    }

    [Fact]
    public async Task GetMany_Cancelled_Throws_AndTheNextReadWorks()
    {
        await Store.Writer.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, [])
        {
            Features = [new FeatureRow(Key("c"), DateTimeOffset.UnixEpoch, "s", new Dictionary<string, double> { ["units"] = 3 })],
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.Reader.GetManyAsync([Key("c")], new CancellationToken(canceled: true)));

        Assert.Equal(3, (await Store.Reader.GetManyAsync([Key("c")]))[0]!.Values["units"]);
    }

    [Fact]
    public async Task V2_RoundTripsEveryValueBitExact()
    {
        var values = new Dictionary<string, double>
        {
            ["b_units"] = 0.1, ["a_nan"] = double.NaN, ["neg_zero"] = -0.0, ["max"] = double.MaxValue, ["eps"] = double.Epsilon, ["ünï"] = -1e-300,
        };
        var eventTime = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        await Store.Writer.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, [])
        {
            Features = [new FeatureRow(Key("v2"), eventTime, "schema-ä", values), new FeatureRow(Key("v2-empty"), eventTime, "s", new Dictionary<string, double>())],
        });
        Assert.Equal(2, ((byte[]?)await Db.StringGetAsync(RedisOnlineStore.PackedKey(Key("v2"))))![0]);

        // A fresh reader: the layout comes from Redis, not from the writer's process.
        var reader = new RedisOnlineStore(Redis.Connection, new OnlineStoreOptions { ReadMode = RedisReadMode.PackedStrings });
        var results = await reader.GetManyAsync([Key("v2"), Key("v2-empty")]);

        var row = results[0]!;
        Assert.Equal(eventTime, row.EventTime);
        Assert.Equal("schema-ä", row.SchemaHash);
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), row.WrittenAt.ToUnixTimeMilliseconds());
        Assert.Equal(values.Keys, row.Values.Keys);
        foreach (var (name, value) in values)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(row.Values[name]));
        }

        Assert.Empty(results[1]!.Values);
    }

    [Fact]
    public async Task V2_UnknownLayout_IsFetchedOnce_ThenCached()
    {
        Dictionary<string, double> Values(params string[] names) => names.ToDictionary(n => n, n => (double)n.Length);
        await Store.Writer.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, [])
        {
            Features =
            [
                new FeatureRow(Key("a1"), DateTimeOffset.UnixEpoch, "s", Values("x", "yy")),
                new FeatureRow(Key("a2"), DateTimeOffset.UnixEpoch, "s", Values("x", "yy")),
                new FeatureRow(Key("b1"), DateTimeOffset.UnixEpoch, "s", Values("zzz")),
            ],
        });
        var reader = new RedisOnlineStore(Redis.Connection, new OnlineStoreOptions { ReadMode = RedisReadMode.PackedStrings });
        string[] keys = [Key("a1"), Key("b1"), Key("a2")];

        var first = await reader.GetManyAsync(keys);
        Assert.Equal(1, reader.LayoutFetches);
        Assert.Equal(["x", "yy"], first[0]!.Values.Keys);
        Assert.Equal(["zzz"], first[1]!.Values.Keys);
        Assert.Equal(2, first[2]!.Values["yy"]);

        // Cached for good: reads no longer touch the layouts, even once they are gone.
        foreach (var packed in new[] { Key("a1"), Key("b1") })
        {
            var id = BitConverter.ToInt64(((byte[]?)await Db.StringGetAsync(RedisOnlineStore.PackedKey(packed)))!, 1);
            Assert.True(await Db.KeyDeleteAsync(RedisOnlineStore.LayoutKey(id)));
        }

        var second = await reader.GetManyAsync(keys);
        Assert.Equal(1, reader.LayoutFetches);
        Assert.Equal(3, second[1]!.Values["zzz"]);

        // A reader that meets a row whose layout is gone reads that row from its hash.
        var another = new RedisOnlineStore(Redis.Connection, new OnlineStoreOptions { ReadMode = RedisReadMode.PackedStrings });
        var third = await another.GetManyAsync(keys);
        Assert.Equal(1, another.LayoutFetches);
        Assert.Equal(["x", "yy"], third[0]!.Values.Keys);
        Assert.Equal(3, third[1]!.Values["zzz"]);
        Assert.Equal(1, third[2]!.Values["x"]);
    }

    [Fact]
    public async Task V1_PackedStrings_AreStillRead()
    {
        var v1Writer = new RedisOnlineStore(Redis.Connection, new OnlineStoreOptions { PackedStringFormat = PackedStringFormat.V1 }, Time);
        await v1Writer.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, [])
        {
            Features = [new FeatureRow(Key("v1"), DateTimeOffset.UnixEpoch, "s", new Dictionary<string, double> { ["units"] = 7, ["price"] = 1.5 })],
        });
        await Store.Writer.CommitAsync(new PartitionCommit(Key("g2"), "t", 0, null, 1, [])
        {
            Features = [new FeatureRow(Key("v2"), DateTimeOffset.UnixEpoch, "s", new Dictionary<string, double> { ["units"] = 8 })],
        });
        var v1 = (byte[]?)await Db.StringGetAsync(RedisOnlineStore.PackedKey(Key("v1")));
        Assert.Equal(1, v1![0]);
        Assert.Equal(v1, (byte[]?)await Db.HashGetAsync(RedisOnlineStore.FeatureKey(Key("v1")), "_packed"));

        var results = await Store.Reader.GetManyAsync([Key("v1"), Key("v2")]);

        Assert.Equal(["units", "price"], results[0]!.Values.Keys);
        Assert.Equal(1.5, results[0]!.Values["price"]);
        Assert.Equal(8, results[1]!.Values["units"]);
    }

    [Fact]
    public async Task V2_Corrupt_IsServedAsAbsent()
    {
        await Store.Writer.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, [])
        {
            Features = [new FeatureRow(Key("ok"), DateTimeOffset.UnixEpoch, "s", new Dictionary<string, double> { ["units"] = 1, ["more"] = 2 })],
        });
        var good = ((byte[]?)await Db.StringGetAsync(RedisOnlineStore.PackedKey(Key("ok"))))!;
        await Db.StringSetAsync(RedisOnlineStore.PackedKey(Key("short")), good[..^1]);
        await Db.StringSetAsync(RedisOnlineStore.PackedKey(Key("long")), (byte[])[.. good, 0]);
        var unknownLayout = (byte[])good.Clone();
        unknownLayout[1] ^= 0xFF;
        await Db.StringSetAsync(RedisOnlineStore.PackedKey(Key("no-layout")), unknownLayout);
        await Db.StringSetAsync(RedisOnlineStore.LayoutKey(BitConverter.ToInt64(unknownLayout, 1)), new byte[] { 1, 1, 0, 1, (byte)'u' });

        var results = await Store.Reader.GetManyAsync([Key("short"), Key("ok"), Key("long"), Key("no-layout")]);

        Assert.Null(results[0]);
        Assert.Equal(2, results[1]!.Values["more"]);
        Assert.Null(results[2]);
        Assert.Null(results[3]);
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

    protected RedisFixture Redis { get; }

    protected IDatabase Db => _db;
    private readonly RedisOnlineStore _store;

    protected RedisContractTests(RedisFixture redis, RedisReadMode readMode)
    {
        Redis = redis;
        _db = redis.Connection.GetDatabase();
        _store = new RedisOnlineStore(Redis.Connection, new OnlineStoreOptions { EntityTtl = Ttl, ReadMode = readMode }, Time);
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

        // The packed copy read by MGET: a string of the same row (v2, names in a layout key) with the same TTL.
        Assert.Equal(RedisType.String, await _db.KeyTypeAsync($"featp:{Key("sku-1")}"));
        Assert.Equal(1, ((byte[]?)entity["_packed"])![0]);
        var packed = (byte[]?)await _db.StringGetAsync($"featp:{Key("sku-1")}");
        Assert.Equal(2, packed![0]);
        Assert.Equal(1 + 8 + 8 + 8 + 2 + 3 + 2 + 8, packed.Length);
        Assert.InRange((await _db.KeyTimeToLiveAsync($"featp:{Key("sku-1")}"))!.Value, Ttl - TimeSpan.FromMinutes(1), Ttl);
        var layoutKey = RedisOnlineStore.LayoutKey(BitConverter.ToInt64(packed, 1));
        Assert.Equal(RedisType.String, await _db.KeyTypeAsync(layoutKey));
        Assert.Null(await _db.KeyTimeToLiveAsync(layoutKey));
    }

    [Fact]
    public async Task DemandWindow_IsTheDocumentedString_WithTheRowsTtl()
    {
        var end = DateTimeOffset.FromUnixTimeMilliseconds(1_700_002_800_000);
        await _store.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, [])
        {
            Features = [new FeatureRow(Key("sku:1"), end, "s", new Dictionary<string, double> { ["units"] = 1 })],
            DemandWindows = [new DemandWindow(Key("sku:1"), end, end.AddMinutes(5), [0, 130, 1], [0, 2, 1], [0, 1, 0])],
        });

        var value = (byte[]?)await _db.StringGetAsync($"feath:{Key("sku:1")}");

        // version, end, as-of, count, then varints: units 0, 130 (two bytes), 1; lines 0, 2, 1; promoted 0, 1, 0.
        Assert.Equal(
            [1, .. BitConverter.GetBytes(end.ToUnixTimeMilliseconds()), .. BitConverter.GetBytes(end.AddMinutes(5).ToUnixTimeMilliseconds()), 3, 0,
                0, 0x82, 0x01, 1, 0, 2, 1, 0, 1, 0],
            value);
        Assert.InRange((await _db.KeyTimeToLiveAsync($"feath:{Key("sku:1")}"))!.Value, Ttl - TimeSpan.FromMinutes(1), Ttl);
    }

    [Fact]
    public async Task UnreadableDemandWindow_IsServedAsAbsent_OthersUnaffected()
    {
        var end = DateTimeOffset.FromUnixTimeMilliseconds(1_700_002_800_000);
        await _store.CommitAsync(new PartitionCommit(Key("g"), "t", 0, null, 1, [])
        {
            DemandWindows = [new DemandWindow(Key("sku:ok"), end, end, [5], [1], [0])],
        });
        var valid = (byte[])(await _db.StringGetAsync($"feath:{Key("sku:ok")}"))!;
        await _db.StringSetAsync($"feath:{Key("sku:truncated")}", valid[..^1]);
        await _db.StringSetAsync($"feath:{Key("sku:trailing")}", (byte[])[.. valid, 0]);
        await _db.StringSetAsync($"feath:{Key("sku:version")}", (byte[])[9, .. valid[1..]]);

        var read = await _store.GetDemandWindowsAsync([Key("sku:truncated"), Key("sku:ok"), Key("sku:trailing"), Key("sku:version")]);

        Assert.Null(read[0]);
        Assert.Equal([5], read[1]!.Units);
        Assert.Null(read[2]);
        Assert.Null(read[3]);
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
