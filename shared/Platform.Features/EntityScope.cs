namespace Platform.Features;

/// <summary>
/// Which entities an aggregator keeps. A partition of orders.validated (keyed by SKU) holds every line of its SKUs, so
/// it can keep SKU and SKU × region entities; a category's lines are spread over all partitions, so category entities
/// are kept by an aggregator fed from a topic keyed by category.
/// </summary>
[Flags]
public enum EntityScope
{
    /// <summary>sku:{sku} and sku_region:{sku}:{region}.</summary>
    Sku = 1,

    /// <summary>category:{category}.</summary>
    Category = 2,

    All = Sku | Category,
}
