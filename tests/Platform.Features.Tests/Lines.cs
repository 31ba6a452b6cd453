using Platform.Contracts;

namespace Platform.Features.Tests;

/// <summary>Hand-made order lines for the crafted cases.</summary>
internal static class Lines
{
    /// <summary>Monday 2026-01-05 00:00 UTC; not a default holiday.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static int s_next;

    public static OrderLineValidated Sale(DateTimeOffset at, int quantity = 1, string sku = "A", string region = "eu-west",
        string? category = "toys", decimal price = 10m, string? customer = "c1", string? promotion = null, string? lineId = null) =>
        new()
        {
            LineId = lineId ?? $"o{Interlocked.Increment(ref s_next)}:1",
            OrderId = "o",
            LineNumber = 1,
            LineCount = 1,
            Kind = quantity < 0 ? OrderLineKinds.Cancellation : OrderLineKinds.Sale,
            Sku = sku,
            Category = category,
            Quantity = quantity,
            UnitPrice = price,
            Currency = "EUR",
            Region = region,
            Channel = "web",
            CustomerHash = customer,
            PromotionId = promotion,
            OccurredAt = at,
            IngestedAt = at,
        };

    public static OrderLineValidated Cancel(DateTimeOffset at, int units, string sku = "A") => Sale(at, -units, sku);

    public static double Value(this FeatureVector vector, string name) => vector.Get(FeatureSchema.Default, name);

    /// <summary>Random lines over <paramref name="hours"/> hours across a few SKUs, regions and customers.</summary>
    public static List<OrderLineValidated> Random(int seed, int count, int hours, int skus = 20)
    {
        var random = new Random(seed);
        var regions = new[] { "eu-west", "eu-north", "us-east" };
        var categories = new[] { "toys", "kitchen", null };
        var lines = new List<OrderLineValidated>(count);
        for (var i = 0; i < count; i++)
        {
            var sku = "S" + random.Next(skus);
            var at = Start.AddTicks((long)(random.NextDouble() * hours * TimeSpan.TicksPerHour));
            var quantity = random.Next(20) == 0 ? -random.Next(1, 4) : random.Next(1, 6);
            lines.Add(Sale(at, quantity, sku, regions[random.Next(regions.Length)], categories[sku.Length % 3],
                Math.Round(1m + (decimal)random.NextDouble() * 20m, 2), random.Next(8) == 0 ? null : "c" + random.Next(300),
                random.Next(10) == 0 ? "PROMO" : null, $"r{seed}-{i}:1"));
        }

        return lines;
    }

    /// <summary>Event-time order, then each line delayed by up to <paramref name="maxDelay"/>: bounded disorder.</summary>
    public static List<OrderLineValidated> Disordered(IEnumerable<OrderLineValidated> lines, TimeSpan maxDelay, int seed)
    {
        var random = new Random(seed);
        return lines
            .Select((l, i) => (Line: l, Arrival: l.OccurredAt.UtcTicks + (long)(random.NextDouble() * maxDelay.Ticks), Index: i))
            .OrderBy(x => x.Arrival).ThenBy(x => x.Index)
            .Select(x => x.Line)
            .ToList();
    }
}
