using Platform.Features;
using Platform.OnlineStore;

namespace Platform.FeatureStore;

/// <summary>What a flush (or a history backfill) writes for one entity: its feature row and its demand window.</summary>
internal static class EntityOutputs
{
    /// <summary>The entity's row as of <paramref name="asOf"/>; <paramref name="values"/> (schema order) is filled too.</summary>
    public static FeatureRow Row(PartitionFeatureAggregator aggregator, FeatureSchema schema, string key, DateTimeOffset asOf, double[] values)
    {
        var eventTime = aggregator.Compute(key, asOf, values) ?? asOf;
        var named = new Dictionary<string, double>(schema.Count, StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            named[schema.Names[i]] = values[i];
        }

        return new FeatureRow(key, eventTime, schema.Hash, named);
    }

    /// <summary>The SKU entity's hourly demand over the <paramref name="hours"/> complete hours before the watermark's hour.</summary>
    public static DemandWindow Window(PartitionFeatureAggregator aggregator, string key, int hours, DateTimeOffset watermark)
    {
        var units = new int[hours];
        var lines = new int[hours];
        var promoLines = new int[hours];
        var end = aggregator.WriteHourlyDemand(key, units, lines, promoLines) ?? throw new InvalidOperationException("the watermark vanished");
        return new DemandWindow(key, end, watermark, units, lines, promoLines);
    }
}
