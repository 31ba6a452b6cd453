namespace Platform.OnlineStore;

/// <summary>
/// The latest feature values of one entity as the online store holds them.
/// </summary>
/// <param name="EntityKey">The entity the values describe (e.g. a SKU).</param>
/// <param name="EventTime">Event time of the newest record folded into the values (millisecond precision).</param>
/// <param name="SchemaHash">Which feature definition produced the values; a reader that expects another ignores them.</param>
/// <param name="Values">Feature name → value.</param>
/// <param name="WrittenAt">Wall-clock time of the write (millisecond precision); now − WrittenAt is the pipeline's staleness.</param>
public sealed record OnlineFeatures(
    string EntityKey,
    DateTimeOffset EventTime,
    string SchemaHash,
    IReadOnlyDictionary<string, double> Values,
    DateTimeOffset WrittenAt);

/// <summary>One entity's feature values for the writer to store; replaces whatever the entity had.</summary>
public sealed record FeatureRow(
    string EntityKey,
    DateTimeOffset EventTime,
    string SchemaHash,
    IReadOnlyDictionary<string, double> Values);
