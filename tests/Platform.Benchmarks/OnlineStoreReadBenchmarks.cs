using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Platform.OnlineStore;
using StackExchange.Redis;

namespace Platform.Benchmarks;

/// <summary>
/// The online store against a local redis-server (started here on a free port): one read of 1,000 entities of 25
/// features each, in each read mode (one MGET of the packed strings, v2 and v1, pipelined HGET of the packed field, pipelined
/// HGETALL, one Lua script), and one
/// commit of a typical flush (200 entities).
/// Every iteration is exactly one operation and no outlier is removed, so the P99 column is the 99th percentile of
/// single-call latencies (nearest rank over the N measured calls), not of averages. The iteration counts set here
/// override those of <c>--job short</c>, whose 3 iterations could not give a p99.
/// </summary>
[Config(typeof(OnlineStoreBenchmarkConfig))]
[MemoryDiagnoser]
[InvocationCount(1)]
[WarmupCount(30)]
[IterationCount(300)]
[Outliers(Perfolizer.Mathematics.OutlierDetection.OutlierMode.DontRemove)]
public class OnlineStoreReadBenchmarks
{
    private const int StoredEntities = 20_000;
    private const int EntitiesPerRead = 1_000;
    private const int FeaturesPerEntity = 25;
    private const int EntitiesPerFlush = 200;

    private Process? _redisServer;
    private string? _dataDir;
    private ConnectionMultiplexer _connection = null!;
    private RedisOnlineStore _packed = null!;
    private RedisOnlineStore _packedStrings = null!;
    private RedisOnlineStore _hashes = null!;
    private RedisOnlineStore _scripted = null!;
    private RedisOnlineStore _v1Writer = null!;
    private string[][] _readKeys = [];
    private string[][] _v1ReadKeys = [];
    private int _nextRead;
    private PartitionCommit _flush = null!;
    private long _offset;

    [GlobalSetup]
    public void Setup()
    {
        var port = FreePort();
        _dataDir = Directory.CreateTempSubdirectory("bench-redis-").FullName;
        _redisServer = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --loglevel warning --dir {_dataDir}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        _connection = Connect($"127.0.0.1:{port}");
        _packed = new RedisOnlineStore(_connection, new OnlineStoreOptions { ReadMode = RedisReadMode.Packed });
        _packedStrings = new RedisOnlineStore(_connection, new OnlineStoreOptions { ReadMode = RedisReadMode.PackedStrings });
        _hashes = new RedisOnlineStore(_connection, new OnlineStoreOptions { ReadMode = RedisReadMode.HashPipeline });
        _v1Writer = new RedisOnlineStore(_connection, new OnlineStoreOptions { PackedStringFormat = PackedStringFormat.V1 });
        _scripted = new RedisOnlineStore(_connection, new OnlineStoreOptions { ReadMode = RedisReadMode.HashScript });

        var random = new Random(42);
        var names = Enumerable.Range(0, FeaturesPerEntity).Select(i => $"feature_{i:00}_units_7d").ToArray();
        FeatureRow Row(string key) => new(key, DateTimeOffset.UtcNow, "0f3c9a1b", names.ToDictionary(n => n, _ => Math.Round(random.NextDouble() * 1000, random.Next(0, 10))));

        // Load through the store itself, in flush-sized commits, so the data has exactly the production layout.
        for (var start = 0; start < StoredEntities; start += 2_000)
        {
            _packed.CommitAsync(new PartitionCommit("bench", "load", 0, start == 0 ? null : start, start + 2_000, [])
            {
                Features = Enumerable.Range(start, 2_000).Select(i => Row($"sku-{i}")).ToList(),
            }).GetAwaiter().GetResult();

            // The same rows with v1 featp: strings (names in every value), as written before v2, under other keys.
            _v1Writer.CommitAsync(new PartitionCommit("bench", "load-v1", 0, start == 0 ? null : start, start + 2_000, [])
            {
                Features = Enumerable.Range(start, 2_000).Select(i => Row($"v1-sku-{i}")).ToList(),
            }).GetAwaiter().GetResult();
        }

        _readKeys = Enumerable.Range(0, 64)
            .Select(_ => Enumerable.Range(0, EntitiesPerRead).Select(_ => $"sku-{random.Next(StoredEntities)}").ToArray())
            .ToArray();
        _v1ReadKeys = _readKeys.Select(keys => keys.Select(k => "v1-" + k).ToArray()).ToArray();

        var flushKeys = Enumerable.Range(0, EntitiesPerFlush).Select(i => $"flush-sku-{i}").ToArray();
        _flush = new PartitionCommit("bench", "orders.validated", 0, null, 0, new byte[4096])
        {
            UpsertEntities = flushKeys.ToDictionary(k => k, _ => new byte[256]),
            Features = flushKeys.Select(Row).ToList(),
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        if (_redisServer is { HasExited: false })
        {
            _redisServer.Kill();
            _redisServer.WaitForExit();
        }

        if (_dataDir is not null)
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

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

    private static ConnectionMultiplexer Connect(string endpoint)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                var connection = ConnectionMultiplexer.Connect($"{endpoint},abortConnect=true,connectTimeout=1000");
                connection.GetDatabase().Ping();
                return connection;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
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
