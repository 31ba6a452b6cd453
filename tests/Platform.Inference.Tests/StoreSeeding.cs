using Platform.Features;
using Platform.OnlineStore;

namespace Platform.Inference.Tests;

/// <summary>Writes SKUs' feature rows and demand windows the way the feature store's flush does (one commit).</summary>
internal static class StoreSeeding
{
    public static async Task SeedAsync(IFeatureStateStore store, TrainedModels models, IEnumerable<(string Sku, int Series)> skus, string group, DateTimeOffset? asOf = null)
    {
        var rows = new List<FeatureRow>();
        var windows = new List<DemandWindow>();
        foreach (var (sku, series) in skus)
        {
            var end = new DateTimeOffset(models.Origin(series), TimeSpan.Zero);
            var window = models.Window(series);
            windows.Add(new DemandWindow(EntityKeys.Sku(sku), end, asOf ?? end.AddMinutes(5), window, window.Select(u => u > 0 ? 1 : 0).ToArray(), new int[window.Length]));
            rows.Add(new FeatureRow(EntityKeys.Sku(sku), end, FeatureSchema.Default.Hash, new Dictionary<string, double> { ["qty_24h"] = window[^24..].Sum() }));
        }

        await store.CommitAsync(new PartitionCommit(group, "orders.validated", 0, null, 1, []) { Features = rows, DemandWindows = windows });
    }
}
