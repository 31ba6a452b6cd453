using Platform.Contracts;

namespace Platform.Features;

/// <summary>A training example's entity and the event time its features must be as of.</summary>
public readonly record struct LabelPoint(string EntityKey, DateTimeOffset AsOf);

/// <summary>
/// Point-in-time features for training: the vector as of each label point from exactly the history lines with
/// event time at or before it, computed by <see cref="PartitionFeatureAggregator"/> itself so that training and
/// serving share one definition. Lines that the online path rejected as late are included here; everything else
/// (duplicates, skew) is handled the same way.
/// </summary>
public sealed class OfflineFeatureBuilder
{
    public OfflineFeatureBuilder(FeatureSchema? schema = null)
    {
        Schema = schema ?? FeatureSchema.Default;
    }

    public FeatureSchema Schema { get; }

    /// <summary>One vector per point, in the order of <paramref name="points"/>. History may come in any order.</summary>
    public IReadOnlyList<FeatureVector> Build(IEnumerable<OrderLineValidated> history, IEnumerable<LabelPoint> points)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(points);

        // Replaying in event-time order makes every line land after the watermark of the lines before it, so none is late.
        var lines = history.OrderBy(l => l.OccurredAt.UtcTicks).ThenBy(l => l.LineId, StringComparer.Ordinal).ToArray();
        var ordered = points.Select((p, i) => (Point: p, Index: i)).OrderBy(x => x.Point.AsOf.UtcTicks).ToArray();
        var results = new FeatureVector[ordered.Length];
        var aggregator = new PartitionFeatureAggregator(Schema);
        var next = 0;
        foreach (var (point, index) in ordered)
        {
            var asOf = point.AsOf.UtcTicks;
            while (next < lines.Length && lines[next].OccurredAt.UtcTicks <= asOf)
            {
                aggregator.Apply(lines[next++]);
            }

            results[index] = aggregator.Compute(point.EntityKey, point.AsOf);
        }

        return results;
    }
}
