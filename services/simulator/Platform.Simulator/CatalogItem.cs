namespace Platform.Simulator;

/// <summary>One SKU of the simulated catalog. <see cref="Popularity"/> is its share of line picks (all SKUs sum to 1).</summary>
public sealed record CatalogItem(int Index, string Sku, string Category, decimal BasePrice, double Popularity, int PopularityRank);
