using Platform.Contracts;

namespace Platform.OfflineStore.Tests;

/// <summary>A temporary store root, deleted at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "offline-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class TestData
{
    public static readonly DateTimeOffset Start = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);

    public static OrderLineValidated Line(string orderId, int n, string sku, int quantity, DateTimeOffset at, decimal price = 2.5m,
        string region = "uk", string? customer = "c1", string? promotion = null, string? category = null) => new()
    {
        LineId = $"{orderId}:{n}",
        OrderId = orderId,
        LineNumber = n,
        LineCount = n,
        Kind = quantity < 0 ? OrderLineKinds.Cancellation : OrderLineKinds.Sale,
        Sku = sku,
        Category = category,
        Quantity = quantity,
        UnitPrice = price,
        Currency = "GBP",
        Region = region,
        Channel = "web",
        CustomerHash = customer,
        PromotionId = promotion,
        OccurredAt = at,
        IngestedAt = at.AddSeconds(1),
    };

    /// <summary>
    /// Several days of lines over a few SKUs and regions: bursts, quiet hours, a multi-day gap, cancellations,
    /// promotions, guests and repeat customers, several lines at the same instant.
    /// </summary>
    public static List<OrderLineValidated> History(int seed, int days = 10, int skus = 6)
    {
        var random = new Random(seed);
        var lines = new List<OrderLineValidated>();
        string[] regions = ["uk", "france", "germany"];
        var order = 0;
        for (var minute = 0; minute < days * 24 * 60; minute += 1 + random.Next(25))
        {
            var day = minute / (24 * 60);
            if (day is 4 or 5) continue; // a gap, as over a holiday
            var at = Start.AddMinutes(minute).AddSeconds(random.Next(60)).AddTicks(random.Next(10_000_000));
            var orderId = $"o{++order}";
            var count = 1 + random.Next(3);
            for (var n = 1; n <= count; n++)
            {
                var sku = $"S{random.Next(skus)}";
                var cancel = random.NextDouble() < 0.08;
                var quantity = (1 + random.Next(random.NextDouble() < 0.05 ? 200 : 6)) * (cancel ? -1 : 1);
                var customer = random.NextDouble() < 0.25 ? null : $"cust{random.Next(40)}";
                var promo = random.NextDouble() < 0.1 ? "P1" : null;
                lines.Add(Line(orderId, n, sku, quantity, at, price: 0.5m + random.Next(400) / 100m, region: regions[random.Next(regions.Length)],
                    customer: customer, promotion: promo));
            }
        }

        return lines;
    }

    public static async Task<OfflineStoreWriter> WriteAllAsync(string root, IEnumerable<OrderLineValidated> lines, int flushEvery = 500)
    {
        var writer = new OfflineStoreWriter(root);
        foreach (var line in lines)
        {
            writer.Append(line);
            if (writer.BufferedLines >= flushEvery) await writer.FlushAsync();
        }

        await writer.FlushAsync();
        return writer;
    }
}
