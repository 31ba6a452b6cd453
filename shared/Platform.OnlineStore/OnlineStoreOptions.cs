namespace Platform.OnlineStore;

public sealed class OnlineStoreOptions
{
    /// <summary>How long an entity's features live after their last write; refreshed on every write.</summary>
    public TimeSpan EntityTtl { get; set; } = TimeSpan.FromDays(8);

    /// <summary>
    /// How long a partition's streaming state lives after its last commit. Longer than every feature window, so it
    /// only expires for partitions idle long enough that their state would be all zeros anyway.
    /// </summary>
    public TimeSpan PartitionStateTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How the Redis store reads many entities in one round trip (every mode reads what every writer writes).</summary>
    public RedisReadMode ReadMode { get; set; } = RedisReadMode.PackedStrings;

    /// <summary>
    /// The format the Redis store writes its <c>featp:</c> strings in. Every reader of this version reads both;
    /// keep <see cref="PackedStringFormat.V1"/> while readers older than v2 may still read the same Redis.
    /// </summary>
    public PackedStringFormat PackedStringFormat { get; set; } = PackedStringFormat.V2;
}

public enum PackedStringFormat
{
    /// <summary>The row with its feature names, as the hash's <c>_packed</c> field.</summary>
    V1 = 1,

    /// <summary>
    /// The row without names: a layout id, stored once per distinct ordered name list as <c>featlayout:&lt;id&gt;</c>
    /// and cached by readers (about a third of the bytes of v1 for 25 features).
    /// </summary>
    V2 = 2,
}

public enum RedisReadMode
{
    /// <summary>
    /// One HGET of the entity's <c>_packed</c> field per entity, pipelined: one bulk string per entity instead of
    /// two per feature. Measured several times faster than the hash modes for 1,000 entities of 25 features.
    /// </summary>
    Packed,

    /// <summary>One HGETALL per entity, pipelined, parsing the per-feature fields.</summary>
    HashPipeline,

    /// <summary>One Lua script doing all HGETALLs server-side. Slowest measured, and single node only (keys span slots).</summary>
    HashScript,

    /// <summary>
    /// One MGET of the entities' <c>featp:</c> strings (the same bytes as <c>_packed</c>): one command and one reply
    /// for the whole read instead of one per entity. Keys MGET does not find (rows written before the copy existed)
    /// are retried as in <see cref="Packed"/>, one more round trip for those keys only. The default: fastest measured.
    /// </summary>
    PackedStrings,
}
