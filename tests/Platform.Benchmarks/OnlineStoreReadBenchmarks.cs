using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Platform.OnlineStore;

namespace Platform.Benchmarks;

/// <summary>
/// The online store against a local redis-server (started here on a free port): one read of 1,000 entities of 25
/// features each, in each read mode (one MGET of the packed strings, v2 and v1, pipelined HGET of the packed field, pipelined
/// HGETALL, one Lua script), and one commit of a typical flush (200 entities).
/// Every iteration is exactly one operation and no outlier is removed, so the P99 column is the 99th percentile of
/// single-call latencies (nearest rank over the 300 measured calls), not of averages; the collector is not forced
/// between iterations, so collections land where the calls make them. 300 calls give a rough p99 at best: the
/// default path's distribution over 20,000 reads is <see cref="OnlineStoreReadLatencyBenchmarks"/>. The iteration
/// counts set here override those of <c>--job short</c>, whose 3 iterations could not give a p99.
/// </summary>
[Config(typeof(OnlineStoreBenchmarkConfig))]
[MemoryDiagnoser]
[InvocationCount(1)]
[WarmupCount(30)]
[IterationCount(300)]
[GcForce(false)]
[Outliers(Perfolizer.Mathematics.OutlierDetection.OutlierMode.DontRemove)]
public class OnlineStoreReadBenchmarks
{
    private const int StoredEntities = 20_000;
    private const int EntitiesPerRead = 1_000;
    private const int EntitiesPerFlush = 200;

    private OnlineStoreBenchmarkRedis _redis = null!;
    private RedisOnlineStore _packed = null!;
    private RedisOnlineStore _packedStrings = null!;
    private RedisOnlineStore _hashes = null!;
    private RedisOnlineStore _scripted = null!;
    private string[][] _readKeys = [];
    private string[][] _v1ReadKeys = [];
    private int _nextRead;
    private PartitionCommit _flush = null!;
    private long _offset;

    [GlobalSetup]
    public void Setup()
    {
        _redis = OnlineStoreBenchmarkRedis.Start();
        var connection = _redis.Connection;
        _packed = new RedisOnlineStore(connection, new OnlineStoreOptions { ReadMode = RedisReadMode.Packed });
        _packedStrings = new RedisOnlineStore(connection, new OnlineStoreOptions { ReadMode = RedisReadMode.PackedStrings });
        _hashes = new RedisOnlineStore(connection, new OnlineStoreOptions { ReadMode = RedisReadMode.HashPipeline });
        _scripted = new RedisOnlineStore(connection, new OnlineStoreOptions { ReadMode = RedisReadMode.HashScript });

        // Loaded through the store, so the data has exactly the production layout; then rows with v1 featp: strings
        // (names in every value), as written before v2, under other keys.
        var random = new Random(42);
        _redis.Load(_packed, "sku-", StoredEntities, random);
        _redis.Load(new RedisOnlineStore(connection, new OnlineStoreOptions { PackedStringFormat = PackedStringFormat.V1 }), "v1-sku-", StoredEntities, random, topic: "load-v1");

        _readKeys = Enumerable.Range(0, 64)
            .Select(_ => Enumerable.Range(0, EntitiesPerRead).Select(_ => $"sku-{random.Next(StoredEntities)}").ToArray())
            .ToArray();
        _v1ReadKeys = _readKeys.Select(keys => keys.Select(k => "v1-" + k).ToArray()).ToArray();

        var names = Enumerable.Range(0, OnlineStoreBenchmarkRedis.FeaturesPerEntity).Select(i => $"feature_{i:00}_units_7d").ToArray();
        var flushKeys = Enumerable.Range(0, EntitiesPerFlush).Select(i => $"flush-sku-{i}").ToArray();
        _flush = new PartitionCommit("bench", "orders.validated", 0, null, 0, new byte[4096])
        {
            UpsertEntities = flushKeys.ToDictionary(k => k, _ => new byte[256]),
            Features = flushKeys.Select(k => new FeatureRow(k, DateTimeOffset.UtcNow, "0f3c9a1b", names.ToDictionary(n => n, _ => random.NextDouble() * 1000))).ToList(),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _redis.Dispose();

    /// <summary>1,000 entities, one HGET of the packed field each, one pipelined batch: the former default read path.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Read1000Packed() => (await _packed.GetManyAsync(NextKeys())).Count;

    /// <summary>The same read as one MGET of the entities' packed strings: the default read path.</summary>
    [Benchmark]
    public async Task<int> Read1000PackedStrings() => (await _packedStrings.GetManyAsync(NextKeys())).Count;

    /// <summary>The same read of rows whose <c>featp:</c> strings are v1 (feature names in every value).</summary>
    [Benchmark]
    public async Task<int> Read1000PackedStringsV1() => (await _packedStrings.GetManyAsync(NextV1Keys())).Count;

    /// <summary>The same read by one HGETALL per entity (per-feature fields), one pipelined batch.</summary>
    [Benchmark]
    public async Task<int> Read1000HashPipeline() => (await _hashes.GetManyAsync(NextKeys())).Count;

    /// <summary>The same read as one Lua script doing the HGETALLs server-side.</summary>
    [Benchmark]
    public async Task<int> Read1000HashScript() => (await _scripted.GetManyAsync(NextKeys())).Count;

    /// <summary>A typical flush: 200 entity states, 200 feature rows, the partition blob, under the offset CAS.</summary>
    [Benchmark]
    public async Task<long> Commit200Entities()
    {
        var commit = _flush with { ExpectedNextOffset = _offset == 0 ? null : _offset, NextOffset = _offset + 1 };
        await _packed.CommitAsync(commit);
        return ++_offset;
    }

    private string[] NextKeys() => _readKeys[_nextRead++ % _readKeys.Length];

    private string[] NextV1Keys() => _v1ReadKeys[_nextRead++ % _v1ReadKeys.Length];
}

public sealed class OnlineStoreBenchmarkConfig : ManualConfig
{
    public OnlineStoreBenchmarkConfig()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.P95, new PercentileColumn(99), StatisticColumn.Max, StatisticColumn.Iterations);
    }
}

/// <summary>
/// A latency percentile of single measured iterations (nearest rank), which BenchmarkDotNet has no column for.
/// With one invocation per iteration it is the percentile of single-call latencies.
/// </summary>
public sealed class PercentileColumn(int percentile) : IColumn
{
    public string Id => $"{nameof(PercentileColumn)}.P{percentile}";

    public string ColumnName => $"P{percentile}";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Time;

    public string Legend => $"{percentile}th percentile of the measured iterations (nearest rank, outliers kept)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var nanoseconds = summary[benchmarkCase]?.AllMeasurements
            .Where(m => m.IterationMode == IterationMode.Workload && m.IterationStage == IterationStage.Actual)
            .Select(m => m.Nanoseconds / m.Operations)
            .Order()
            .ToArray() ?? [];
        if (nanoseconds.Length == 0)
        {
            return "NA";
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * nanoseconds.Length);
        return (nanoseconds[Math.Clamp(rank, 1, nanoseconds.Length) - 1] / 1_000_000).ToString("N3", CultureInfo.InvariantCulture) + " ms";
    }
}
