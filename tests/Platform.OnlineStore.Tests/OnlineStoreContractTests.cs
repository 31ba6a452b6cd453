namespace Platform.OnlineStore.Tests;

/// <summary>One contract, every implementation: what the streaming job and the serving path rely on.</summary>
public abstract class OnlineStoreContractTests
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromDays(8);
    private static readonly DateTimeOffset EventTime = new(2026, 11, 27, 10, 15, 30, 123, TimeSpan.Zero);

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];

    protected ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, 456, TimeSpan.Zero));

    protected abstract (IOnlineFeatureStore Reader, IFeatureStateStore Writer) Store { get; }

    private IDemandWindowStore Windows => (IDemandWindowStore)Store.Reader;

    /// <summary>Asserts the entity's row has the TTL, and that <paramref name="rewrite"/> (a new commit) starts it afresh.</summary>
    protected abstract Task AssertExpiresAfterTtlAsync(string entityKey, Func<Task> rewrite);

    /// <summary>Keys of this test only, as the Redis implementations share one server.</summary>
    protected string Key(string name) => $"{name}-{_run}";

    [Fact]
    public async Task Commit_ThenGetMany_RoundTripsValuesEventTimeAndSchema()
    {
        var values = new Dictionary<string, double>
        {
            ["units_1h"] = 3,
            ["units_mean_7d"] = 1.0 / 3,
            ["tiny"] = 4.9e-324,
            ["huge"] = double.MaxValue,
            ["negative"] = -0.1,
            ["nan"] = double.NaN,
        };
        await Commit(Key("g"), "t", 0, null, 10, features: [new FeatureRow(Key("sku-1"), EventTime, "schema-v1", values)]);

        var features = await Store.Reader.GetAsync(Key("sku-1"));

        Assert.NotNull(features);
        Assert.Equal(Key("sku-1"), features.EntityKey);
        Assert.Equal(EventTime, features.EventTime);
        Assert.Equal("schema-v1", features.SchemaHash);
        Assert.Equal(Time.GetUtcNow(), features.WrittenAt);
        Assert.Equal(values.Count, features.Values.Count);
        foreach (var (name, value) in values)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(features.Values[name]));
        }

        Assert.Equal(values.Keys.Order(), features.Values.Keys.Order());
        Assert.False(features.Values.ContainsKey("absent"));
        Assert.False(features.Values.TryGetValue("absent", out _));
        Assert.True(features.Values.TryGetValue("units_1h", out var units) && units == 3);
    }

    [Fact]
    public async Task GetMany_EntitiesWithDifferentFeatureSets_EachGetsItsOwn()
    {
        await Commit(Key("g"), "t", 0, null, 1, features:
        [
            Row(Key("a"), ("x", 1), ("y", 2)),
            Row(Key("b"), ("y", 3), ("x", 4)),
            Row(Key("c"), ("x", 5)),
            Row(Key("d"), ("z", 6), ("y", 7)),
            Row(Key("e")),
            Row(Key("f"), ("x", 8), ("y", 9)) with { SchemaHash = "schema-v2" },
        ]);

        var results = await Store.Reader.GetManyAsync([Key("a"), Key("b"), Key("c"), Key("d"), Key("e"), Key("f"), Key("a")]);

        var expected = new Dictionary<string, double>[]
        {
            new() { ["x"] = 1, ["y"] = 2 }, new() { ["x"] = 4, ["y"] = 3 }, new() { ["x"] = 5 }, new() { ["z"] = 6, ["y"] = 7 },
            [], new() { ["x"] = 8, ["y"] = 9 }, new() { ["x"] = 1, ["y"] = 2 },
        };
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].OrderBy(kv => kv.Key), results[i]!.Values.OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public async Task GetMany_OneSchemaWithAlternatingFeatureOrders_EachEntityKeepsItsOwn()
    {
        // Same schema, same feature count, different names or orders, interleaved: a layout cached for one entity
        // must never be applied to another.
        var rows = Enumerable.Range(0, 40).Select(i => (i % 4) switch
        {
            0 => Row(Key($"m{i}"), ("x", i), ("y", -i)),
            1 => Row(Key($"m{i}"), ("y", -i), ("x", i)),
            2 => Row(Key($"m{i}"), ("x", i), ("z", -i)),
            _ => Row(Key($"m{i}"), ("x", i)),
        }).ToList();
        await Commit(Key("g"), "t", 0, null, 1, features: rows);
        var keys = rows.Select(r => r.EntityKey).ToList();

        for (var read = 0; read < 3; read++)
        {
            var results = await Store.Reader.GetManyAsync(read == 1 ? keys.AsEnumerable().Reverse().ToList() : keys);
            for (var i = 0; i < results.Count; i++)
            {
                var expected = rows.Single(r => r.EntityKey == results[i]!.EntityKey);
                Assert.Equal(expected.Values.OrderBy(kv => kv.Key), results[i]!.Values.OrderBy(kv => kv.Key));
            }
        }
    }

    [Fact]
    public async Task GetMany_ManyKeys_OneResultPerKeyInOrder_NullForMissing()
    {
        var rows = Enumerable.Range(0, 300).Select(i => Row(Key($"e{i}"), ("x", i))).ToList();
        await Commit(Key("g"), "t", 0, null, 1, features: rows);
        var keys = new List<string> { Key("e299"), Key("missing"), Key("e0"), Key("e150"), Key("e299") };
        keys.AddRange(Enumerable.Range(0, 300).Select(i => Key($"e{i}")));

        var results = await Store.Reader.GetManyAsync(keys);

        Assert.Equal(keys.Count, results.Count);
        Assert.Null(results[1]);
        for (var i = 0; i < keys.Count; i++)
        {
            if (i != 1)
            {
                Assert.Equal(keys[i], results[i]!.EntityKey);
                Assert.Equal(int.Parse(keys[i].Split('-')[0][1..]), results[i]!.Values["x"]);
            }
        }
    }

    [Fact]
    public async Task GetMany_NoKeys_ReturnsNothing() => Assert.Empty(await Store.Reader.GetManyAsync([]));

    [Fact]
    public async Task Get_UnknownEntity_IsNull() => Assert.Null(await Store.Reader.GetAsync(Key("never-written")));

    [Fact]
    public async Task Commit_ReplacesTheEntityRow_DroppedFeaturesDoNotLinger()
    {
        var group = Key("g");
        await Commit(group, "t", 0, null, 1, features: [Row(Key("sku"), ("a", 1), ("b", 2))]);
        await Commit(group, "t", 0, 1, 2, features: [Row(Key("sku"), ("a", 5)) with { SchemaHash = "v2" }]);

        var features = await Store.Reader.GetAsync(Key("sku"));

        Assert.Equal(new Dictionary<string, double> { ["a"] = 5 }, features!.Values);
        Assert.Equal("v2", features.SchemaHash);
    }

    [Fact]
    public async Task EntityRows_HaveTheTtl_RefreshedByEveryWrite()
    {
        var group = Key("g");
        await Commit(group, "t", 0, null, 1, features: [Row(Key("sku"), ("a", 1))]);

        await AssertExpiresAfterTtlAsync(Key("sku"), () => Commit(group, "t", 0, 1, 2, features: [Row(Key("sku"), ("a", 2))]));
    }

    [Fact]
    public async Task Load_UnknownPartition_IsEmpty()
    {
        var state = await Store.Writer.LoadPartitionAsync(Key("g"), "t", 3);

        Assert.Null(state.NextOffset);
        Assert.Null(state.Blob);
        Assert.Empty(state.Entities);
    }

    [Fact]
    public async Task Load_AfterCommits_ReturnsOffsetBlobAndEntityStates()
    {
        var group = Key("g");
        await Commit(group, "orders.validated", 2, null, 100, blob: [1, 2, 3], upserts: new() { ["a"] = [10], ["b"] = [20, 21], ["c"] = [] });
        await Commit(group, "orders.validated", 2, 100, 250, blob: [4], upserts: new() { ["b"] = [22] }, deletes: ["a"]);

        var state = await Store.Writer.LoadPartitionAsync(group, "orders.validated", 2);

        Assert.Equal(250, state.NextOffset);
        Assert.Equal([4], state.Blob);
        Assert.Equal(2, state.Entities.Count);
        Assert.Equal([22], state.Entities["b"]);
        Assert.Equal([], state.Entities["c"]);
    }

    [Fact]
    public async Task Commit_StaleExpectedOffset_ThrowsAndWritesNothing()
    {
        var group = Key("g");
        await Commit(group, "t", 0, null, 10, blob: [1], upserts: new() { ["a"] = [1], ["b"] = [2] }, features: [Row(Key("a"), ("x", 1))]);
        await Commit(group, "t", 0, 10, 20, blob: [2], upserts: new() { ["a"] = [3] }, features: [Row(Key("a"), ("x", 2))]);
        var before = await Store.Reader.GetAsync(Key("a"));

        // A zombie that still believes it is at offset 10 (it lost the partition after its first commit).
        var conflict = await Assert.ThrowsAsync<PartitionOwnershipLostException>(() =>
            Commit(group, "t", 0, 10, 30, blob: [9], upserts: new() { ["a"] = [9], ["z"] = [9] }, deletes: ["b"],
                features: [Row(Key("a"), ("x", 9)), Row(Key("z"), ("x", 9))]));

        Assert.Equal(10, conflict.ExpectedNextOffset);
        Assert.Equal(20, conflict.ActualNextOffset);
        var state = await Store.Writer.LoadPartitionAsync(group, "t", 0);
        Assert.Equal(20, state.NextOffset);
        Assert.Equal([2], state.Blob);
        Assert.Equal([3], state.Entities["a"]);
        Assert.Equal([2], state.Entities["b"]);
        Assert.False(state.Entities.ContainsKey("z"));
        var after = await Store.Reader.GetManyAsync([Key("a"), Key("z")]);
        Assert.Equal(2, after[0]!.Values["x"]);
        Assert.Equal(before!.WrittenAt, after[0]!.WrittenAt);
        Assert.Null(after[1]);
    }

    [Fact]
    public async Task DemandWindows_CommittedWithTheRow_RoundTripInOneRead()
    {
        var end = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var asOf = end.AddMinutes(7).AddTicks(1234);
        int[] units = [0, 3, 0, 200_000, 1];
        var window = new DemandWindow(Key("sku:w"), end, asOf, units, [0, 1, 0, 2, 1], [0, 0, 0, 1, 0]);
        await Commit(Key("g"), "t", 0, null, 1, features: [Row(Key("sku:w"), ("x", 1))], windows: [window]);

        var read = await Windows.GetDemandWindowsAsync([Key("sku:none"), Key("sku:w")]);

        Assert.Null(read[0]);
        var w = Assert.IsType<DemandWindow>(read[1]);
        Assert.Equal(Key("sku:w"), w.EntityKey);
        Assert.Equal(end, w.End);
        Assert.Equal(end.AddHours(-5), w.Start);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(asOf.ToUnixTimeMilliseconds()), w.AsOf);
        Assert.Equal(units, w.Units);
        Assert.Equal([0, 1, 0, 2, 1], w.Lines);
        Assert.Equal([0, 0, 0, 1, 0], w.PromoLines);

        // A later commit replaces the window; a commit without one leaves it.
        await Commit(Key("g"), "t", 0, 1, 2, windows: [new DemandWindow(Key("sku:w"), end.AddHours(1), end.AddHours(1), [3, 0, 0, 1, 4], [1, 0, 0, 1, 2], [0, 0, 0, 0, 0])]);
        await Commit(Key("g"), "t", 0, 2, 3);
        var replaced = await Windows.GetDemandWindowsAsync([Key("sku:w")]);
        Assert.Equal([3, 0, 0, 1, 4], replaced[0]!.Units);
    }

    [Fact]
    public async Task DemandWindows_OfAFailedCommit_AreNotWritten()
    {
        var group = Key("g");
        await Commit(group, "t", 0, null, 10);
        var window = new DemandWindow(Key("sku:lost"), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, [1], [1], [0]);

        await Assert.ThrowsAsync<PartitionOwnershipLostException>(() => Commit(group, "t", 0, 3, 11, windows: [window]));

        Assert.Null((await Windows.GetDemandWindowsAsync([Key("sku:lost")]))[0]);
    }

    [Fact]
    public async Task Commit_ExpectingNoneWhenAnOffsetIsStored_Throws()
    {
        var group = Key("g");
        await Commit(group, "t", 0, null, 10);

        var conflict = await Assert.ThrowsAsync<PartitionOwnershipLostException>(() => Commit(group, "t", 0, null, 5, features: [Row(Key("a"), ("x", 1))]));

        Assert.Null(conflict.ExpectedNextOffset);
        Assert.Equal(10, conflict.ActualNextOffset);
        Assert.Null(await Store.Reader.GetAsync(Key("a")));
    }

    [Fact]
    public async Task Commit_ExpectingAnOffsetWhenNoneIsStored_Throws()
    {
        var conflict = await Assert.ThrowsAsync<PartitionOwnershipLostException>(() => Commit(Key("g"), "t", 0, 10, 20));

        Assert.Null(conflict.ActualNextOffset);
        Assert.Null((await Store.Writer.LoadPartitionAsync(Key("g"), "t", 0)).NextOffset);
    }

    [Fact]
    public async Task Partitions_AreIndependent()
    {
        var group = Key("g");
        await Commit(group, "t", 0, null, 10, blob: [0], upserts: new() { ["a"] = [0] });
        await Commit(group, "t", 1, null, 7, blob: [1], upserts: new() { ["a"] = [1] });
        await Commit(Key("other-group"), "t", 0, null, 3, blob: [2]);
        await Commit(group, "t", 0, 10, 11, blob: [3], deletes: ["a"]);

        var p0 = await Store.Writer.LoadPartitionAsync(group, "t", 0);
        var p1 = await Store.Writer.LoadPartitionAsync(group, "t", 1);
        var other = await Store.Writer.LoadPartitionAsync(Key("other-group"), "t", 0);

        Assert.Equal(11, p0.NextOffset);
        Assert.Equal([3], p0.Blob);
        Assert.Empty(p0.Entities);
        Assert.Equal(7, p1.NextOffset);
        Assert.Equal([1], p1.Blob);
        Assert.Equal([1], p1.Entities["a"]);
        Assert.Equal(3, other.NextOffset);
        Assert.Empty(other.Entities);
    }

    [Fact]
    public async Task Commit_ContradictoryOrReservedInput_IsRejectedBeforeWriting()
    {
        var group = Key("g");
        await Assert.ThrowsAsync<ArgumentException>(() => Commit(group, "t", 0, null, 1, upserts: new() { ["a"] = [1] }, deletes: ["a"]));
        await Assert.ThrowsAsync<ArgumentException>(() => Commit(group, "t", 0, null, 1, features: [Row(Key("a"), ("_ts", 1))]));

        Assert.Null((await Store.Writer.LoadPartitionAsync(group, "t", 0)).NextOffset);
    }

    private Task Commit(
        string group, string topic, int partition, long? expected, long next, byte[]? blob = null,
        Dictionary<string, byte[]>? upserts = null, string[]? deletes = null, List<FeatureRow>? features = null, List<DemandWindow>? windows = null) =>
        Store.Writer.CommitAsync(new PartitionCommit(group, topic, partition, expected, next, blob ?? [])
        {
            UpsertEntities = upserts ?? [],
            DeleteEntities = deletes ?? [],
            Features = features ?? [],
            DemandWindows = windows ?? [],
        });

    private static FeatureRow Row(string entityKey, params (string Name, double Value)[] values) =>
        new(entityKey, EventTime, "schema-v1", values.ToDictionary(v => v.Name, v => v.Value));
}
