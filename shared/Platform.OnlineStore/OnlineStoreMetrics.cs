using System.Diagnostics.Metrics;

namespace Platform.OnlineStore;

/// <summary>Online feature store instruments (Meter "Platform.OnlineStore"), tagged by store ("redis", "memory", "cache").</summary>
public static class OnlineStoreMetrics
{
    public const string MeterName = "Platform.OnlineStore";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> ReadDuration = Meter.CreateHistogram<double>("platform.online_store.read.duration", "ms");
    public static readonly Counter<long> EntitiesRead = Meter.CreateCounter<long>("platform.online_store.read.entities", "{entity}", "Entities asked for; tagged found=true|false");
    public static readonly Counter<long> ReadFailures = Meter.CreateCounter<long>("platform.online_store.read.failures", "{read}");
    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("platform.online_store.cache.hits", "{entity}");
    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("platform.online_store.cache.misses", "{entity}");
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("platform.online_store.commit.duration", "ms");
    public static readonly Counter<long> CommitConflicts = Meter.CreateCounter<long>("platform.online_store.commit.conflicts", "{commit}");
    public static readonly Counter<long> CommitFailures = Meter.CreateCounter<long>("platform.online_store.commit.failures", "{commit}");
    public static readonly Counter<long> CorruptEntities = Meter.CreateCounter<long>("platform.online_store.read.corrupt_entities", "{entity}");

    internal static KeyValuePair<string, object?> Store(string name) => new("store", name);

    internal static void RecordRead(string store, long startTimestamp, IReadOnlyList<OnlineFeatures?> results)
    {
        var found = 0;
        foreach (var result in results)
        {
            if (result is not null)
            {
                found++;
            }
        }

        var tag = Store(store);
        ReadDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, tag);
        EntitiesRead.Add(found, tag, new("found", true));
        EntitiesRead.Add(results.Count - found, tag, new("found", false));
    }
}
