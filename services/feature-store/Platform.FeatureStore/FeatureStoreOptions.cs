using System.ComponentModel.DataAnnotations;

namespace Platform.FeatureStore;

/// <summary>Feature-store settings, section "FeatureStore".</summary>
public sealed class FeatureStoreOptions
{
    public const string SectionName = "FeatureStore";

    /// <summary>Consumer group of the SKU stream; the category stream uses "{ConsumerGroup}-category".</summary>
    public string ConsumerGroup { get; set; } = "feature-store";

    /// <summary>Redis "host:port[,options]" for the online store and the streaming state; empty keeps both in memory (one process only).</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// Longest time lines wait before their features reach the online store, one features.updated notice per changed
    /// entity is published and the state is committed. Shorter is fresher; longer coalesces more updates of hot SKUs.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Most lines per flush, so a backlog is worked off in bounded transactions.</summary>
    [Range(1, 1_000_000)]
    public int MaxLinesPerFlush { get; set; } = 5000;

    public const int DefaultDemandWindowHours = 168;

    /// <summary>
    /// Complete hours of demand (sale units, lines and promoted lines per hour) kept per SKU in the online store beside
    /// its features, under <c>feath:sku:{sku}</c>, for the inference service's lookback window; 0 turns it off.
    /// At most the hours the streaming state keeps (191).
    /// </summary>
    [Range(0, Platform.Features.PartitionFeatureAggregator.MaxDemandWindowHours)]
    public int DemandWindowHours { get; set; } = DefaultDemandWindowHours;

    /// <summary>How long an entity's features stay in the online store after its last update.</summary>
    public TimeSpan EntityTtl { get; set; } = TimeSpan.FromDays(8);

    /// <summary>How stale a feature read through the in-process cache may be.</summary>
    public TimeSpan ReadCacheStaleness { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Where order lines and hourly snapshots are appended as Parquet for training; empty turns the offline store off.</summary>
    public string? OfflineDirectory { get; set; }
}
