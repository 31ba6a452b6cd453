namespace Platform.Contracts;

/// <summary>
/// Notice on features.updated that an entity's online features changed, keyed by <see cref="EntityKey"/>.
/// Coalesced per entity per flush interval. Schema version 1.
/// </summary>
public sealed record FeaturesUpdated
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>"sku", "sku_region" or "category".</summary>
    public string EntityType { get; init; } = "";

    /// <summary>For example "sku:84879" or "sku_region:84879:eu-west".</summary>
    public string EntityKey { get; init; } = "";

    /// <summary>Event time up to which the features are complete.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>Names of the features that changed since the previous notice.</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    /// <summary>Hash of the feature definitions that computed them; models are trained against one.</summary>
    public string FeatureSchemaHash { get; init; } = "";
}
