namespace Platform.Features;

/// <summary>What <see cref="PartitionFeatureAggregator.Apply"/> did with a line.</summary>
public enum ApplyResult
{
    /// <summary>Added to its entities' buckets.</summary>
    Applied,

    /// <summary>
    /// Applied like <see cref="Applied"/>, but its event time is more than MaxFutureSkew ahead of the latest seen, so
    /// it moved the watermark by at most MaxFutureSkew. Count it: many of these mean a producer clock is off.
    /// </summary>
    Skewed,

    /// <summary>At or before the watermark: not applied. Send it to the late side topic and count it.</summary>
    Late,

    /// <summary>Its line id was applied already (within the retained horizon): not applied, count it.</summary>
    Duplicate,
}
