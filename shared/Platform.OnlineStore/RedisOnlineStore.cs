using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Platform.OnlineStore;

/// <summary>
/// Online feature store and streaming-job state in one Redis (single node or primary/replica; not Cluster,
/// because a commit is one MULTI/EXEC over keys of many slots).
/// <para>Layout:</para>
/// <list type="bullet">
/// <item><c>feat:&lt;entityKey&gt;</c> — hash, one per entity: one field per feature (value as an invariant,
/// round-trippable double string), <c>_ts</c> event time (unix ms), <c>_schema</c> schema hash, <c>_written</c>
/// wall time of the write (unix ms), and <c>_packed</c>, the same row in one binary value (see
/// <see cref="PackedFeatures"/>) that the default read mode fetches alone. TTL <see cref="OnlineStoreOptions.EntityTtl"/>,
/// reset by every write; a write replaces the whole hash so features dropped from a schema do not linger.</item>
/// <item><c>featp:&lt;entityKey&gt;</c> — string, one per entity: a copy of the hash's <c>_packed</c> value, written in
/// the same transaction with the same TTL, so that <see cref="RedisReadMode.PackedStrings"/> reads any number of
/// entities with one <c>MGET</c>. Derived data: the hash stays the documented row.</item>
/// <item><c>feath:&lt;entityKey&gt;</c> — string, one per entity that has one: its hourly demand window
/// (<see cref="DemandWindow"/>, packed as <see cref="PackedDemandWindow"/>), written in the same transaction as the
/// entity's row, with the same TTL, so a forecaster reads the windows of many entities with one <c>MGET</c>.</item>
/// <item><c>fsstate:&lt;group&gt;:&lt;topic&gt;:&lt;partition&gt;</c> — hash, one per consumed partition, TTL PartitionStateTtl (30 days) refreshed by every commit:
/// <c>_offset</c> next offset (decimal string), <c>_blob</c> partition blob, <c>e:&lt;entityKey&gt;</c> entity state blob.</item>
/// </list>
/// Feature names may not start with '_', so they never collide with the metadata fields.
/// </summary>
public sealed class RedisOnlineStore : IOnlineFeatureStore, IFeatureStateStore, IDemandWindowStore
{
    public const string FeatureKeyPrefix = "feat:";
    public const string PackedKeyPrefix = "featp:";
    public const string LayoutKeyPrefix = "featlayout:";
    public const string PartitionKeyPrefix = "fsstate:";
    public const string DemandWindowKeyPrefix = "feath:";

    private const string StoreTag = "redis";
    private const string OffsetField = "_offset";
    private const string BlobField = "_blob";
    private const string EntityFieldPrefix = "e:";
    private const string EventTimeField = "_ts";
    private const string SchemaField = "_schema";
    private const string WrittenField = "_written";
    private const string PackedField = "_packed";

    // The featp: prefix as bytes: a key built with Prepend carries it beside the entity key, without a string of its own.
    private static readonly RedisKey PackedPrefix = Encoding.UTF8.GetBytes(PackedKeyPrefix);

    private const string ReadScript = """
        local result = {}
        for i = 1, #KEYS do
            result[i] = redis.call('HGETALL', KEYS[i])
        end
        return result
        """;

    // Names and schema hashes repeat across entities; decoding each into a new string would make most of a
    // large read's garbage. Bounded, so that arbitrary names cannot grow it without limit.
    private const int MaxInternedNames = 4096;
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _namesBySpan;

    // Schema hash → the feature name layouts of its entities (stored order), most recently seen first. A handful of
    // schemas are live at a time, nearly always with one layout each; a few per schema keep entities with different
    // feature sets from rebuilding a layout each time they alternate.
    private const int MaxLayouts = 64;
    private const int MaxLayoutsPerSchema = 4;
    private readonly ConcurrentDictionary<string, FeatureLayout[]> _layouts = new(StringComparer.Ordinal);

    // Layout id → layout, for v2 packed strings; a layout never changes once stored, so an entry never goes stale.
    // Bounded like the names: past the bound, unknown layouts are fetched for each read that meets them.
    private const int MaxLayoutsById = 1024;
    private readonly ConcurrentDictionary<long, FeatureLayout> _layoutsById = new();
    private long _layoutFetches;

    // Writer side: schema hash → the last v2 layout written for it (names in order, id, stored value).
    private readonly ConcurrentDictionary<string, WriteLayout> _writeLayouts = new(StringComparer.Ordinal);

    private readonly IConnectionMultiplexer _redis;
    private readonly OnlineStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public RedisOnlineStore(IConnectionMultiplexer redis, OnlineStoreOptions? options = null, TimeProvider? time = null, ILogger<RedisOnlineStore>? logger = null)
    {
        _redis = redis;
        _options = options ?? new OnlineStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.EntityTtl, TimeSpan.Zero);
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<RedisOnlineStore>.Instance;
        _namesBySpan = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static RedisKey FeatureKey(string entityKey) => FeatureKeyPrefix + entityKey;

    /// <summary>The string key holding a copy of the entity's packed row (see <see cref="RedisReadMode.PackedStrings"/>).</summary>
    public static RedisKey PackedKey(string entityKey) => PackedKeyPrefix + entityKey;

    /// <summary>The string key of a v2 packed layout (see <see cref="PackedStringFormat.V2"/>).</summary>
    public static RedisKey LayoutKey(long layoutId) =>
        string.Create(CultureInfo.InvariantCulture, $"{LayoutKeyPrefix}{layoutId:x16}");

    /// <summary>Round trips made to fetch v2 layouts not yet cached (for tests).</summary>
    internal long LayoutFetches => Interlocked.Read(ref _layoutFetches);

    /// <summary>The string key of an entity's hourly demand window.</summary>
    public static RedisKey DemandWindowKey(string entityKey) => DemandWindowKeyPrefix + entityKey;

    /// <summary>One MGET of the <c>feath:</c> keys; an unreadable value is logged, counted and served as absent.</summary>
    public async Task<IReadOnlyList<DemandWindow?>> GetDemandWindowsAsync(IReadOnlyList<string> entityKeys, CancellationToken ct = default)
    {
        if (entityKeys.Count == 0)
        {
            return [];
        }

        var keys = new RedisKey[entityKeys.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = DemandWindowKey(entityKeys[i]);
        }

        RedisValue[] values;
        try
        {
            values = await _redis.GetDatabase().StringGetAsync(keys).WaitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            OnlineStoreMetrics.ReadFailures.Add(1, OnlineStoreMetrics.Store(StoreTag));
            _logger.LogError(ex, "Demand window read of {Count} entities failed", entityKeys.Count);
            throw;
        }

        var results = new DemandWindow?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].IsNull)
            {
                continue;
            }

            results[i] = PackedDemandWindow.Unpack(entityKeys[i], ((ReadOnlyMemory<byte>)values[i]).Span, out var why);
            if (results[i] is null)
            {
                _ = Corrupt(entityKeys[i], $"feath: {why}");
            }
        }

        return results;
    }

    public static RedisKey PartitionKey(string consumerGroup, string topic, int partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{PartitionKeyPrefix}{consumerGroup}:{topic}:{partition}");

    public async Task<IReadOnlyList<OnlineFeatures?>> GetManyAsync(IReadOnlyList<string> entityKeys, CancellationToken ct = default)
    {
        if (entityKeys.Count == 0)
        {
            return [];
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var results = _options.ReadMode switch
            {
                RedisReadMode.HashPipeline => await ReadHashesAsync(entityKeys, ct),
                RedisReadMode.HashScript => await ReadHashesByScriptAsync(entityKeys, ct),
                RedisReadMode.Packed => await ReadPackedAsync(entityKeys, ct),
                _ => await ReadPackedStringsAsync(entityKeys, ct),
            };
            OnlineStoreMetrics.RecordRead(StoreTag, started, results);
            return results;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            OnlineStoreMetrics.ReadFailures.Add(1, OnlineStoreMetrics.Store(StoreTag));
            _logger.LogError(ex, "Online store read of {Count} entities failed", entityKeys.Count);
            throw;
        }
    }

    /// <summary>
    /// One MGET of the <c>featp:</c> keys, taken as the raw reply (<see cref="IDatabaseAsync.ExecuteRespAsync"/>, a
    /// pooled buffer) and parsed in place: the client library's typed MGET would first copy every value into an array of
    /// its own (about 270 KB for 1,000 rows). Only the values are copied out, into a few shared chunks. The keys are the
    /// entity keys behind a shared byte prefix, in a pooled array, so building them allocates nothing per entity.
    /// </summary>
    private async Task<OnlineFeatures?[]> ReadPackedStringsAsync(IReadOnlyList<string> entityKeys, CancellationToken ct)
    {
        var count = entityKeys.Count;
        var keys = ArrayPool<RedisKeyOrValue>.Shared.Rent(count);
        for (var i = 0; i < count; i++)
        {
            keys[i] = RedisKeyOrValue.FromKey(((RedisKey)entityKeys[i]).Prepend(PackedPrefix));
        }

        var db = _redis.GetDatabase();
        var pending = db.ExecuteRespAsync("MGET", keys.AsMemory(0, count));
        RespResult reply;
        try
        {
            reply = await pending.WaitAsync(ct);
        }
        finally
        {
            if (pending.IsCompleted)
            {
                ArrayPool<RedisKeyOrValue>.Shared.Return(keys, clearArray: true);
            }
            else
            {
                // Cancelled while the command is in flight: it may still be reading the keys, so they are left to the
                // collector; the reply, when it comes, goes back to the pool, and a later failure is observed here.
                _ = pending.ContinueWith(
                    static t =>
                    {
                        if (t.IsCompletedSuccessfully)
                        {
                            t.Result.Dispose();
                        }
                        else
                        {
                            _ = t.Exception;
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }

        var results = new OnlineFeatures?[count];
        List<int>? missing = null;
        List<(int Index, byte[] Row)>? unresolved = null;
        using (reply)
        {
            ParsePackedStrings(reply, entityKeys, results, ref missing, ref unresolved);
        }

        if (unresolved is not null)
        {
            await ResolveLayoutsAsync(db, entityKeys, unresolved, results, missing ??= [], ct);
        }

        if (missing is { Count: > 0 })
        {
            await ReadMissingFromHashesAsync(db, entityKeys, missing, results, ct);
        }

        return results;
    }

    private void ParsePackedStrings(RespResult reply, IReadOnlyList<string> entityKeys, OnlineFeatures?[] results, ref List<int>? missing, ref List<(int Index, byte[] Row)>? unresolved)
    {
        // An error reply has already been thrown as RedisServerException by the client.
        var reader = reply.Read();
        if (!reader.IsAggregate || !reader.AggregateLengthIs(results.Length))
        {
            throw new RedisException($"MGET of {results.Length} keys replied {reader.Prefix} instead of an array of as many values.");
        }

        var arena = default(PackedValueArena);
        for (var i = 0; i < results.Length; i++)
        {
            reader.MoveNext();
            if (reader.IsNull)
            {
                (missing ??= []).Add(i);
                continue;
            }

            // A reply of the library's own buffer is contiguous; copy the rare value that is not.
            var row = reader.TryGetSpan(out var span) ? span : reader.ReadByteArray();
            if (row.Length >= PackedFeaturesV2.HeaderBytes && row[0] == PackedFeaturesV2.Version)
            {
                if (_layoutsById.TryGetValue(BinaryPrimitives.ReadInt64LittleEndian(row[1..]), out var layout))
                {
                    results[i] = ParsePackedV2(entityKeys[i], row, layout, ref arena, results.Length - i);
                }
                else
                {
                    // Kept past the reply, which goes back to the pool before the layouts are fetched.
                    (unresolved ??= []).Add((i, row.ToArray()));
                }
            }
            else
            {
                results[i] = ParsePacked(entityKeys[i], row);
            }
        }
    }

    /// <summary>
    /// v2 rows whose layout this process has not seen: one MGET of the layouts (once per layout and process, as they
    /// are cached for good). A row whose layout is gone from Redis is read from its hash like a missing row.
    /// </summary>
    private async Task ResolveLayoutsAsync(IDatabase db, IReadOnlyList<string> entityKeys, List<(int Index, byte[] Row)> unresolved, OnlineFeatures?[] results, List<int> missing, CancellationToken ct)
    {
        var ids = new List<long>();
        foreach (var (_, row) in unresolved)
        {
            var id = BinaryPrimitives.ReadInt64LittleEndian(row.AsSpan(1));
            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        Interlocked.Increment(ref _layoutFetches);
        var stored = await db.StringGetAsync(ids.Select(LayoutKey).ToArray()).WaitAsync(ct);
        var found = new Dictionary<long, FeatureLayout>(ids.Count);
        for (var j = 0; j < ids.Count; j++)
        {
            if (stored[j].IsNull)
            {
                continue;
            }

            var names = PackedFeaturesV2.UnpackLayout(((ReadOnlyMemory<byte>)stored[j]).Span, ids[j], Intern);
            if (names is null)
            {
                _logger.LogWarning("Online store layout {LayoutKey} is unreadable; its rows are read from their hashes", (string?)LayoutKey(ids[j]));
                continue;
            }

            var layout = new FeatureLayout(names);
            found[ids[j]] = layout;
            if (_layoutsById.Count < MaxLayoutsById)
            {
                _layoutsById.TryAdd(ids[j], layout);
            }
        }

        var arena = default(PackedValueArena);
        for (var k = 0; k < unresolved.Count; k++)
        {
            var (i, row) = unresolved[k];
            if (found.TryGetValue(BinaryPrimitives.ReadInt64LittleEndian(row.AsSpan(1)), out var layout))
            {
                results[i] = ParsePackedV2(entityKeys[i], row, layout, ref arena, unresolved.Count - k);
            }
            else
            {
                missing.Add(i);
            }
        }

        // The hash fallback appends out of order; it reads in any order, but keep it the order of the request.
        missing.Sort();
    }

    /// <summary>
    /// Rows written before the <c>featp:</c> copy existed (or by a writer that only writes the hash) have just the
    /// hash: one more pipelined round trip, for the keys MGET did not find only, reads their <c>_packed</c> field.
    /// </summary>
    private async Task ReadMissingFromHashesAsync(IDatabase db, IReadOnlyList<string> entityKeys, List<int> missing, OnlineFeatures?[] results, CancellationToken ct)
    {
        var batch = db.CreateBatch();
        var pending = new Task<RedisValue>[missing.Count];
        for (var j = 0; j < pending.Length; j++)
        {
            pending[j] = batch.HashGetAsync(FeatureKey(entityKeys[missing[j]]), PackedField);
        }

        batch.Execute();
        await Task.WhenAll(pending).WaitAsync(ct);
        for (var j = 0; j < pending.Length; j++)
        {
            var packed = pending[j].Result;
            if (!packed.IsNull)
            {
                results[missing[j]] = ParsePacked(entityKeys[missing[j]], packed);
            }
        }
    }

    private async Task<OnlineFeatures?[]> ReadPackedAsync(IReadOnlyList<string> entityKeys, CancellationToken ct)
    {
        var batch = _redis.GetDatabase().CreateBatch();
        var pending = new Task<RedisValue>[entityKeys.Count];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = batch.HashGetAsync(FeatureKey(entityKeys[i]), PackedField);
        }

        batch.Execute();
        await Task.WhenAll(pending).WaitAsync(ct);
        var results = new OnlineFeatures?[pending.Length];
        for (var i = 0; i < pending.Length; i++)
        {
            var packed = pending[i].Result;
            if (!packed.IsNull)
            {
                results[i] = ParsePacked(entityKeys[i], packed);
            }
        }

        return results;
    }

    private async Task<OnlineFeatures?[]> ReadHashesAsync(IReadOnlyList<string> entityKeys, CancellationToken ct)
    {
        var batch = _redis.GetDatabase().CreateBatch();
        var pending = new Task<HashEntry[]>[entityKeys.Count];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = batch.HashGetAllAsync(FeatureKey(entityKeys[i]));
        }

        batch.Execute();
        await Task.WhenAll(pending).WaitAsync(ct);
        var results = new OnlineFeatures?[pending.Length];
        for (var i = 0; i < pending.Length; i++)
        {
            var entries = pending[i].Result;
            if (entries.Length > 0)
            {
                results[i] = ParseHash(entityKeys[i], entries);
            }
        }

        return results;
    }

    private async Task<OnlineFeatures?[]> ReadHashesByScriptAsync(IReadOnlyList<string> entityKeys, CancellationToken ct)
    {
        var keys = new RedisKey[entityKeys.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = FeatureKey(entityKeys[i]);
        }

        var reply = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(ReadScript, keys).WaitAsync(ct))!;
        var results = new OnlineFeatures?[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var flat = (RedisResult[])reply[i]!;
            if (flat.Length > 0)
            {
                var fields = new HashEntry[flat.Length / 2];
                for (var j = 0; j < fields.Length; j++)
                {
                    fields[j] = new HashEntry((RedisValue)flat[2 * j], (RedisValue)flat[(2 * j) + 1]);
                }

                results[i] = ParseHash(entityKeys[i], fields);
            }
        }

        return results;
    }

    private OnlineFeatures? ParsePacked(string entityKey, RedisValue packed) => ParsePacked(entityKey, ((ReadOnlyMemory<byte>)packed).Span);

    private OnlineFeatures? ParsePacked(string entityKey, ReadOnlySpan<byte> span)
    {
        try
        {
            if (span.Length < PackedFeatures.HeaderBytes)
            {
                return Corrupt(entityKey, "_packed is truncated");
            }

            if (span[0] != PackedFeatures.Version)
            {
                return Corrupt(entityKey, $"_packed has unknown version {span[0]}");
            }

            var eventTime = BinaryPrimitives.ReadInt64LittleEndian(span[1..]);
            var written = BinaryPrimitives.ReadInt64LittleEndian(span[9..]);
            var at = 17;
            int schemaLength = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
            var schema = Intern(span.Slice(at + 2, schemaLength));
            at += 2 + schemaLength;
            int count = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
            at += 2;
            var layout = new LayoutMatcher(this, schema, count);
            var values = new double[count];
            for (var k = 0; k < count; k++)
            {
                int nameLength = span[at];
                layout.Note(k, span.Slice(at + 1, nameLength));
                at += 1 + nameLength;
                values[k] = BinaryPrimitives.ReadDoubleLittleEndian(span[at..]);
                at += 8;
            }

            if (at != span.Length)
            {
                return Corrupt(entityKey, "_packed has trailing bytes");
            }

            return new OnlineFeatures(
                entityKey,
                DateTimeOffset.FromUnixTimeMilliseconds(eventTime),
                schema,
                new FeatureVector(layout.Settle(), values),
                DateTimeOffset.FromUnixTimeMilliseconds(written));
        }
        catch (ArgumentOutOfRangeException)
        {
            return Corrupt(entityKey, "_packed is truncated");
        }
        catch (IndexOutOfRangeException)
        {
            return Corrupt(entityKey, "_packed is truncated");
        }
    }

    private OnlineFeatures? ParsePackedV2(string entityKey, ReadOnlySpan<byte> span, FeatureLayout layout, ref PackedValueArena arena, int rowsLeft)
    {
        // The caller checked the version and the least length.
        var eventTime = BinaryPrimitives.ReadInt64LittleEndian(span[9..]);
        var written = BinaryPrimitives.ReadInt64LittleEndian(span[17..]);
        var at = 25;
        int schemaLength = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
        if (at + 2 + schemaLength + 2 > span.Length)
        {
            return Corrupt(entityKey, "featp v2 is truncated");
        }

        var schema = Intern(span.Slice(at + 2, schemaLength));
        at += 2 + schemaLength;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
        at += 2;
        if (count != layout.Names.Length)
        {
            return Corrupt(entityKey, $"featp v2 has {count} values for a layout of {layout.Names.Length}");
        }

        if (span.Length - at != 8 * count)
        {
            return Corrupt(entityKey, "featp v2 has the wrong length");
        }

        // The values are copied once, as they are (little-endian float64s), and read in place from there.
        var values = arena.Take(span.Length - at, rowsLeft);
        span[at..].CopyTo(values.Span);
        return new OnlineFeatures(
            entityKey,
            DateTimeOffset.FromUnixTimeMilliseconds(eventTime),
            schema,
            new FeatureVector(layout, values),
            DateTimeOffset.FromUnixTimeMilliseconds(written));
    }

    private OnlineFeatures? ParseHash(string entityKey, HashEntry[] fields)
    {
        long? eventTime = null;
        long? written = null;
        string? schema = null;
        var featureCount = 0;
        foreach (var field in fields)
        {
            ReadOnlyMemory<byte> name = field.Name;
            var span = name.Span;
            if (span.Length == 0 || span[0] != (byte)'_')
            {
                featureCount++;
            }
            else if (span.SequenceEqual("_ts"u8))
            {
                eventTime = (long)field.Value;
            }
            else if (span.SequenceEqual("_schema"u8))
            {
                schema = field.Value;
            }
            else if (span.SequenceEqual("_written"u8))
            {
                written = (long)field.Value;
            }
        }

        if (eventTime is null || schema is null)
        {
            return Corrupt(entityKey, "_ts or _schema is missing");
        }

        var layout = new LayoutMatcher(this, schema, featureCount);
        var values = new double[featureCount];
        var k = 0;
        foreach (var field in fields)
        {
            ReadOnlyMemory<byte> name = field.Name;
            var span = name.Span;
            if (span.Length > 0 && span[0] == (byte)'_')
            {
                continue;
            }

            layout.Note(k, span);
            ReadOnlyMemory<byte> number = field.Value;
            if (!double.TryParse(number.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]))
            {
                return Corrupt(entityKey, $"feature '{Encoding.UTF8.GetString(span)}' is not a number");
            }

            k++;
        }

        return new OnlineFeatures(
            entityKey,
            DateTimeOffset.FromUnixTimeMilliseconds(eventTime.Value),
            schema,
            new FeatureVector(layout.Settle(), values),
            DateTimeOffset.FromUnixTimeMilliseconds(written ?? eventTime.Value));
    }

    /// <summary>
    /// Checks an entity's feature names, in stored order, against the layout last seen for its schema; only an
    /// entity that departs from it pays for decoding names, and its names become the schema's layout.
    /// </summary>
    private struct LayoutMatcher(RedisOnlineStore store, string schema, int count)
    {
        private readonly FeatureLayout? _known = FirstWithCount(store._layouts.GetValueOrDefault(schema), count);
        private string[]? _names;

        public void Note(int position, ReadOnlySpan<byte> utf8Name)
        {
            if (_names is null && _known is not null && _known.NameAtIs(position, utf8Name))
            {
                return;
            }

            if (_names is null)
            {
                _names = new string[count];
                _known?.Names.AsSpan(0, position).CopyTo(_names);
            }

            _names[position] = store.Intern(utf8Name);
        }

        public readonly FeatureLayout Settle()
        {
            if (_names is null)
            {
                // Without a known layout and without names the entity has no features at all.
                return _known ?? FeatureLayout.Empty;
            }

            return store.RememberLayout(schema, _names);
        }

        private static FeatureLayout? FirstWithCount(FeatureLayout[]? layouts, int count)
        {
            foreach (var layout in layouts ?? [])
            {
                if (layout.Names.Length == count)
                {
                    return layout;
                }
            }

            return null;
        }
    }

    private FeatureLayout RememberLayout(string schema, string[] names)
    {
        var known = _layouts.GetValueOrDefault(schema) ?? [];
        var found = Array.FindIndex(known, l => l.Names.AsSpan().SequenceEqual(names));
        var layout = found >= 0 ? known[found] : new FeatureLayout(names);
        if (found != 0 && (_layouts.Count < MaxLayouts || known.Length > 0))
        {
            // Copy on write, most recent first; a concurrent reader's update may be lost, which only costs a rebuild.
            var others = known.Where((_, i) => i != found).Take(MaxLayoutsPerSchema - 1);
            _layouts[schema] = [layout, .. others];
        }

        return layout;
    }

    // A hash written by something else than this store; serving it would hand a model garbage, failing the whole
    // batch would take every other entity down with it.
    private OnlineFeatures? Corrupt(string entityKey, string why)
    {
        OnlineStoreMetrics.CorruptEntities.Add(1);
        _logger.LogWarning("Online store entity {EntityKey} is unreadable ({Why}); served as absent", entityKey, why);
        return null;
    }

    private string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 256)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[256];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        if (_namesBySpan.TryGetValue(chars[..length], out var name))
        {
            return name;
        }

        name = new string(chars[..length]);
        if (_names.Count < MaxInternedNames)
        {
            _names.TryAdd(name, name);
        }

        return name;
    }

    public async Task<PartitionState> LoadPartitionAsync(string consumerGroup, string topic, int partition, CancellationToken ct = default)
    {
        HashEntry[] entries;
        try
        {
            entries = await _redis.GetDatabase().HashGetAllAsync(PartitionKey(consumerGroup, topic, partition)).WaitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Loading feature state of {Group}/{Topic}[{Partition}] failed", consumerGroup, topic, partition);
            throw;
        }

        long? offset = null;
        byte[]? blob = null;
        var entities = new Dictionary<string, byte[]>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            string name = entry.Name!;
            if (name.StartsWith(EntityFieldPrefix, StringComparison.Ordinal))
            {
                entities[name[EntityFieldPrefix.Length..]] = (byte[])entry.Value!;
            }
            else if (name == OffsetField)
            {
                offset = (long)entry.Value;
            }
            else if (name == BlobField)
            {
                blob = (byte[])entry.Value!;
            }
        }

        return new PartitionState(offset, blob, entities);
    }

    public async Task CommitAsync(PartitionCommit commit, CancellationToken ct = default)
    {
        commit.Validate();
        // Once the transaction is sent its outcome cannot be cancelled, only forgotten; so cancel before or not at all.
        ct.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var tag = OnlineStoreMetrics.Store(StoreTag);
        var db = _redis.GetDatabase();
        var partitionKey = PartitionKey(commit.ConsumerGroup, commit.Topic, commit.Partition);
        var transaction = db.CreateTransaction();
        transaction.AddCondition(commit.ExpectedNextOffset is { } expected
            ? Condition.HashEqual(partitionKey, OffsetField, FormatOffset(expected))
            : Condition.HashNotExists(partitionKey, OffsetField));

        var queued = new List<Task>((commit.Features.Count * 4) + commit.DemandWindows.Count + 3);
        var partitionFields = new HashEntry[2 + commit.UpsertEntities.Count];
        partitionFields[0] = new HashEntry(OffsetField, FormatOffset(commit.NextOffset));
        partitionFields[1] = new HashEntry(BlobField, commit.PartitionBlob);
        var n = 2;
        foreach (var (entityKey, state) in commit.UpsertEntities)
        {
            partitionFields[n++] = new HashEntry(EntityFieldPrefix + entityKey, state);
        }

        queued.Add(transaction.HashSetAsync(partitionKey, partitionFields));
        queued.Add(transaction.KeyExpireAsync(partitionKey, _options.PartitionStateTtl));
        if (commit.DeleteEntities.Count > 0)
        {
            queued.Add(transaction.HashDeleteAsync(partitionKey, commit.DeleteEntities.Select(k => (RedisValue)(EntityFieldPrefix + k)).ToArray()));
        }

        var written = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var v2 = _options.PackedStringFormat == PackedStringFormat.V2;
        List<long>? layoutsQueued = null;
        foreach (var row in commit.Features)
        {
            var key = FeatureKey(row.EntityKey);
            var packed = PackedFeatures.Pack(row, written);
            queued.Add(transaction.KeyDeleteAsync(key));
            queued.Add(transaction.HashSetAsync(key, FeatureFields(row, written, packed)));
            queued.Add(transaction.KeyExpireAsync(key, _options.EntityTtl));
            // The copy for MGET reads: same row, same TTL, same transaction, so it never outlives or disagrees with the hash.
            if (v2)
            {
                var layout = WriteLayoutOf(row);
                if (!(layoutsQueued ??= []).Contains(layout.Id))
                {
                    // Only if absent and without TTL: a layout never changes, and rows of any age may point to it.
                    layoutsQueued.Add(layout.Id);
                    queued.Add(transaction.StringSetAsync(LayoutKey(layout.Id), layout.Stored, when: When.NotExists));
                }

                queued.Add(transaction.StringSetAsync(PackedKey(row.EntityKey), PackedFeaturesV2.Pack(row, written, layout.Id), _options.EntityTtl));
            }
            else
            {
                queued.Add(transaction.StringSetAsync(PackedKey(row.EntityKey), packed, _options.EntityTtl));
            }
        }

        foreach (var window in commit.DemandWindows)
        {
            queued.Add(transaction.StringSetAsync(DemandWindowKey(window.EntityKey), PackedDemandWindow.Pack(window), _options.EntityTtl));
        }

        bool committed;
        try
        {
            committed = await transaction.ExecuteAsync();
            if (committed)
            {
                // Inside MULTI a failing command does not stop the others; surface such a failure rather than hide it.
                await Task.WhenAll(queued);
            }
        }
        catch (Exception ex)
        {
            OnlineStoreMetrics.CommitFailures.Add(1, tag);
            _logger.LogError(ex, "Commit of {Group}/{Topic}[{Partition}] to offset {Offset} failed; its outcome is unknown until the partition is reloaded",
                commit.ConsumerGroup, commit.Topic, commit.Partition, commit.NextOffset);
            throw;
        }

        OnlineStoreMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        if (!committed)
        {
            OnlineStoreMetrics.CommitConflicts.Add(1, tag);
            var actual = (long?)await db.HashGetAsync(partitionKey, OffsetField);
            _logger.LogWarning("Commit of {Group}/{Topic}[{Partition}] expected next offset {Expected} but found {Actual}; partition ownership lost, nothing written",
                commit.ConsumerGroup, commit.Topic, commit.Partition, commit.ExpectedNextOffset, actual);
            throw new PartitionOwnershipLostException(commit.ConsumerGroup, commit.Topic, commit.Partition, commit.ExpectedNextOffset, actual);
        }
    }

    /// <summary>The v2 layout of a row's names in their order: the schema's last one when the names match, else a new one.</summary>
    private WriteLayout WriteLayoutOf(FeatureRow row)
    {
        if (_writeLayouts.TryGetValue(row.SchemaHash, out var last) && last.Matches(row.Values))
        {
            return last;
        }

        var names = row.Values.Keys.ToArray();
        var stored = PackedFeaturesV2.PackLayout(names);
        var layout = new WriteLayout(names, PackedFeaturesV2.LayoutId(stored), stored);
        if (_writeLayouts.Count < MaxLayouts || _writeLayouts.ContainsKey(row.SchemaHash))
        {
            _writeLayouts[row.SchemaHash] = layout;
        }

        return layout;
    }

    private sealed record WriteLayout(string[] Names, long Id, byte[] Stored)
    {
        public bool Matches(IReadOnlyDictionary<string, double> values)
        {
            if (values.Count != Names.Length)
            {
                return false;
            }

            var i = 0;
            foreach (var name in values.Keys)
            {
                if (!string.Equals(name, Names[i++], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static HashEntry[] FeatureFields(FeatureRow row, long writtenUnixMs, byte[] packed)
    {
        var fields = new HashEntry[row.Values.Count + 4];
        fields[0] = new HashEntry(EventTimeField, row.EventTime.ToUnixTimeMilliseconds());
        fields[1] = new HashEntry(SchemaField, row.SchemaHash);
        fields[2] = new HashEntry(WrittenField, writtenUnixMs);
        fields[3] = new HashEntry(PackedField, packed);
        var i = 4;
        foreach (var (name, value) in row.Values)
        {
            // Shortest round-trippable form ("R" semantics are the default since .NET Core 3.0).
            fields[i++] = new HashEntry(name, value.ToString(CultureInfo.InvariantCulture));
        }

        return fields;
    }

    private static string FormatOffset(long offset) => offset.ToString(CultureInfo.InvariantCulture);
}
