using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Platform.OnlineStore;

namespace Platform.Benchmarks;

/// <summary>
/// The latency distribution of single reads of 1,000 random entities (of 20,000 stored, 25 features each) from a
/// redis-server on the same machine, started here, in the default read mode: one read at a time, back to back, as
/// one serving thread would issue them. Every read is timed on its own (<see cref="OnlineStoreLatencyRecorder"/>),
/// and the percentile columns are over those 20,000 reads after 2,000 warm-up reads, none removed; BenchmarkDotNet's
/// Mean is the mean read. No forced collection between iterations: the collector runs when the reads make it run,
/// as in a service.
/// </summary>
[Config(typeof(OnlineStoreLatencyConfig))]
[MemoryDiagnoser]
[InvocationCount(ReadsPerIteration, 1)]
[WarmupCount(WarmupReads / ReadsPerIteration)]
[IterationCount(MeasuredReads / ReadsPerIteration)]
[GcForce(false)]
public class OnlineStoreReadLatencyBenchmarks
{
    private const int ReadsPerIteration = 500;
    private const int WarmupReads = 2_000;
    private const int MeasuredReads = 20_000;
    private const int StoredEntities = 20_000;
    private const int EntitiesPerRead = 1_000;

    private OnlineStoreBenchmarkRedis _redis = null!;
    private RedisOnlineStore _store = null!;
    private string[][] _readKeys = [];
    private int _nextRead;
    private (TimeSpan Cpu, long MgetCalls) _serverAtStart;

    // Jitting runs at most a couple of reads before the warm-up; skipping a little more than the warm-up keeps only
    // reads of the measured iterations (plus the memory diagnoser's extra iteration, also warm).
    private readonly OnlineStoreLatencyRecorder _recorder = new(skip: WarmupReads + 10, capacity: MeasuredReads + (2 * ReadsPerIteration));

    [GlobalSetup]
    public void Setup()
    {
        _redis = OnlineStoreBenchmarkRedis.Start();
        _store = new RedisOnlineStore(_redis.Connection);
        var random = new Random(42);
        _redis.Load(_store, "sku-", StoredEntities, random);
        _readKeys = Enumerable.Range(0, 64)
            .Select(_ => Enumerable.Range(0, EntitiesPerRead).Select(_ => $"sku-{random.Next(StoredEntities)}").ToArray())
            .ToArray();
        _serverAtStart = _redis.ServerUsage();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var server = _redis.ServerUsage();
        var perMget = (server.Cpu - _serverAtStart.Cpu).TotalMicroseconds / Math.Max(1, server.MgetCalls - _serverAtStart.MgetCalls);
        var report = _recorder.Report(string.Create(CultureInfo.InvariantCulture, $"server_cpu_us={perMget:F1}"));
        OnlineStoreLatencyRecorder.LastReport = report;
        Console.WriteLine(report);
        _redis.Dispose();
    }

    /// <summary><see cref="IOnlineFeatureStore.GetManyAsync"/>: what every caller in the repo uses.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> GetMany1000()
    {
        var started = OnlineStoreLatencyRecorder.Start();
        var results = await _store.GetManyAsync(NextKeys());
        _recorder.Stop(started);
        return results.Count;
    }

    private string[] NextKeys() => _readKeys[_nextRead++ % _readKeys.Length];
}

public sealed class OnlineStoreLatencyConfig : ManualConfig
{
    public OnlineStoreLatencyConfig()
    {
        AddColumn(OnlineStoreLatencyColumn.All);
        HideColumns(Column.Error, Column.StdDev, Column.RatioSD);
    }
}
