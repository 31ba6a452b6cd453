using System.Diagnostics.Metrics;

namespace Platform.FeatureStore;

/// <summary>Feature-store instruments (Meter "Platform.FeatureStore"), tagged by stream ("sku" or "category").</summary>
public sealed class FeatureStoreMetrics : IDisposable
{
    public const string MeterName = "Platform.FeatureStore";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _lines;
    private readonly Counter<long> _notices;
    private readonly Counter<long> _conflicts;
    private readonly Histogram<double> _flushDuration;
    private long _applied;
    private long _late;
    private long _lateSku;
    private long _duplicates;
    private long _skewed;
    private long _alreadyApplied;
    private long _unreadable;
    private long _noticesTotal;
    private long _entities;

    public FeatureStoreMetrics()
    {
        _lines = _meter.CreateCounter<long>("platform.feature_store.lines", "{line}",
            "Order lines by outcome: applied, skewed (applied, clock ahead), late (to orders.late), duplicate, already_applied (redelivery), unreadable");
        _notices = _meter.CreateCounter<long>("platform.feature_store.notices", "{record}", "features.updated notices published");
        _conflicts = _meter.CreateCounter<long>("platform.feature_store.ownership_conflicts", "{commit}",
            "State commits refused because another instance advanced the partition");
        _flushDuration = _meter.CreateHistogram<double>("platform.feature_store.flush_duration", "ms", "Online store + state commit per flush");
        _meter.CreateObservableGauge("platform.feature_store.entities", () => Interlocked.Read(ref _entities), "{entity}", "Entities held by this instance");
    }

    public long Applied => Interlocked.Read(ref _applied);

    public long Late => Interlocked.Read(ref _late);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Late lines of the SKU stream alone (each is one validated line the SKU entities did not count).</summary>
    public long LateSku => Interlocked.Read(ref _lateSku);

    public long Skewed => Interlocked.Read(ref _skewed);

    public long AlreadyApplied => Interlocked.Read(ref _alreadyApplied);

    public long Unreadable => Interlocked.Read(ref _unreadable);

    public long Notices => Interlocked.Read(ref _noticesTotal);

    /// <summary>Entities held by this process (SKU, SKU × region and category).</summary>
    public long Entities => Interlocked.Read(ref _entities);

    public void Line(string stream, string outcome)
    {
        _lines.Add(1, new("stream", stream), new("outcome", outcome));
        if (stream == FeatureStreamHandler.SkuStream && outcome == "late")
        {
            Interlocked.Increment(ref _lateSku);
        }

        // Totals count order lines once: the category stream sees the same lines again, so only its late ones add.
        if (stream != FeatureStreamHandler.SkuStream && outcome != "late")
        {
            return;
        }

        switch (outcome)
        {
            case "applied": Interlocked.Increment(ref _applied); break;
            case "skewed": Interlocked.Increment(ref _applied); Interlocked.Increment(ref _skewed); break;
            case "late": Interlocked.Increment(ref _late); break;
            case "duplicate": Interlocked.Increment(ref _duplicates); break;
            case "already_applied": Interlocked.Increment(ref _alreadyApplied); break;
            case "unreadable": Interlocked.Increment(ref _unreadable); break;
        }
    }

    public void NoticesPublished(string stream, int count)
    {
        _notices.Add(count, new KeyValuePair<string, object?>("stream", stream));
        Interlocked.Add(ref _noticesTotal, count);
    }

    public void OwnershipConflict(string stream) => _conflicts.Add(1, new KeyValuePair<string, object?>("stream", stream));

    public void Flushed(string stream, double milliseconds) => _flushDuration.Record(milliseconds, new KeyValuePair<string, object?>("stream", stream));

    public void EntitiesChanged(long delta) => Interlocked.Add(ref _entities, delta);

    public void Dispose() => _meter.Dispose();
}
