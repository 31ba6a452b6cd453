namespace Platform.Simulator;

/// <summary>
/// The simulated catalog: SKUs in categories, log-normal prices per category and Zipf-like popularity
/// (Zipf-Mandelbrot: rank r has weight 1 / (r + q)^s, ranks shuffled across categories).
/// </summary>
public sealed class Catalog
{
    // Name, share of SKUs, median price, log-normal sigma. A general-merchandise gift shop, like the reference data.
    private static readonly (string Name, double Share, double MedianPrice, double Sigma)[] CategorySpecs =
    [
        ("home-decor", 0.18, 2.95, 0.7),
        ("kitchen", 0.12, 2.50, 0.7),
        ("stationery", 0.10, 1.25, 0.6),
        ("toys", 0.09, 2.10, 0.7),
        ("party", 0.08, 0.85, 0.6),
        ("christmas", 0.08, 1.65, 0.7),
        ("bags", 0.07, 2.08, 0.5),
        ("candles", 0.07, 1.45, 0.6),
        ("garden", 0.06, 4.95, 0.8),
        ("textiles", 0.06, 3.75, 0.7),
        ("jewellery", 0.05, 1.65, 0.8),
        ("furniture", 0.04, 14.95, 0.9),
    ];

    private readonly AliasTable _sampler;

    internal Catalog(int skuCount, double popularityExponent, double popularityOffset, Prng rng)
    {
        Categories = CategorySpecs.Select(c => c.Name).ToArray();
        var categoryTable = new AliasTable(CategorySpecs.Select(c => c.Share).ToArray());

        // Popularity ranks are a random permutation, so every category has head and tail SKUs.
        var ranks = Enumerable.Range(1, skuCount).ToArray();
        rng.Shuffle(ranks);
        var weights = ranks.Select(r => 1.0 / Math.Pow(r + popularityOffset, popularityExponent)).ToArray();
        var total = weights.Sum();

        var items = new CatalogItem[skuCount];
        for (var i = 0; i < skuCount; i++)
        {
            var spec = CategorySpecs[categoryTable.Sample(rng)];
            var price = RoundPrice(rng.LogNormal(Math.Log(spec.MedianPrice), spec.Sigma));
            // Codes look like the reference shop's numeric stock codes.
            var code = (10000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            items[i] = new CatalogItem(i, code, spec.Name, price, weights[i] / total, ranks[i]);
        }

        Items = items;
        _sampler = new AliasTable(weights);
        ByRank = items.OrderBy(x => x.PopularityRank).ToArray();
    }

    public IReadOnlyList<string> Categories { get; }

    /// <summary>All SKUs, by index.</summary>
    public IReadOnlyList<CatalogItem> Items { get; }

    /// <summary>All SKUs, most popular first.</summary>
    public IReadOnlyList<CatalogItem> ByRank { get; }

    public int Count => Items.Count;

    internal int SampleIndex(Prng rng) => _sampler.Sample(rng);

    /// <summary>Shop prices: two decimals, ending in 5 above 1.00 (2.95, 12.45), at least 0.05.</summary>
    internal static decimal RoundPrice(double price)
    {
        if (price < 1.0) return Math.Max(0.05m, Math.Round((decimal)price, 2));
        var rounded = Math.Round((decimal)price * 10m, MidpointRounding.AwayFromZero) / 10m - 0.05m;
        return Math.Max(0.95m, rounded);
    }
}
