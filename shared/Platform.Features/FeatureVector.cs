namespace Platform.Features;

/// <summary>
/// The features of one entity as of an event time. <see cref="Values"/> follows <see cref="FeatureSchema.Names"/>
/// of the schema whose hash is <see cref="SchemaHash"/>. NaN marks an undefined value (a price with no sales).
/// </summary>
public sealed record FeatureVector(string EntityKey, DateTimeOffset AsOf, DateTimeOffset? LastEventAt, string SchemaHash, double[] Values)
{
    /// <summary>The value of a named feature.</summary>
    public double Get(FeatureSchema schema, string name)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Values[schema.IndexOf(name)];
    }
}
