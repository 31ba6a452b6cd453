namespace Platform.Simulator.Inventory;

/// <summary>A SKU's supplier: its nominal replenishment lead time and whether it ships late and short.</summary>
/// <param name="LeadTimeHours">What the buyer plans with (and what inventory.levels reports).</param>
/// <param name="Delayed">Whether its shipments arrive late and short (ground truth: the buyer does not know).</param>
public sealed record SupplierProfile(string Sku, double LeadTimeHours, bool Delayed)
{
    /// <summary>
    /// Drawn from the seed and the SKU alone, so a SKU gets the same supplier whichever order SKUs first appear in.
    /// </summary>
    internal static SupplierProfile Draw(string sku, InventoryOptions options, out Prng shipments)
    {
        var seed = StableHash(sku, options.Seed);
        var draw = new Prng(seed);
        var lead = draw.Uniform(options.MinLeadTimeHours, options.MaxLeadTimeHours);
        // Whole minutes: lead times read well in logs and arrival times do not carry float noise.
        lead = Math.Max(1.0 / 60, Math.Round(lead * 60) / 60);
        var delayed = draw.Chance(options.DelayedSupplierShare);
        shipments = new Prng(seed ^ 0x5DEECE66DUL);
        return new SupplierProfile(sku, lead, delayed);
    }

    /// <summary>FNV-1a (64 bit) over the SKU's UTF-16 code units, mixed with the seed: stable across runs and runtimes.</summary>
    private static ulong StableHash(string sku, int seed)
    {
        var hash = 0xCBF29CE484222325UL ^ (ulong)(uint)seed;
        foreach (var c in sku)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }
}
