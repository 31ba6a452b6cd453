namespace Platform.Features;

/// <summary>The entity keys features are kept for; the same strings as FeaturesUpdated.EntityKey.</summary>
public static class EntityKeys
{
    public static string Sku(string sku) => string.Concat("sku:", sku);

    public static string SkuRegion(string sku, string region) => string.Concat("sku_region:", sku, ":", region);

    public static string Category(string category) => string.Concat("category:", category);

    /// <summary>"sku", "sku_region" or "category": the part before the first colon.</summary>
    public static string TypeOf(string entityKey)
    {
        ArgumentNullException.ThrowIfNull(entityKey);
        var colon = entityKey.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? entityKey : entityKey[..colon];
    }
}
