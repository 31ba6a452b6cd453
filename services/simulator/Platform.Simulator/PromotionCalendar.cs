namespace Platform.Simulator;

/// <summary>
/// The shop's promotions as a calendar: the promotions starting on a simulated day are drawn from the catalog seed and
/// that day alone, so every run of the same shop sees the same promotions on the same days, whatever window it covers.
/// A history simulated before a live run (same <see cref="SimulatorOptions.CatalogSeed"/>, another
/// <see cref="SimulatorOptions.Seed"/>) therefore hands over promotions that are on at the switch, instead of ending
/// them there and starting others the history never had: a forecaster trained on the history would otherwise see a
/// promoted SKU fall back to its regular demand (a false drop) the moment the live stream starts.
/// </summary>
internal static class PromotionCalendar
{
    /// <summary>Longest promotion, in days: those that started this long before a run may still be on at its start.</summary>
    private const int LongestDays = 4;

    public static IReadOnlyList<Promotion> Between(SimulatorOptions options, Catalog catalog, DateTimeOffset start, DateTimeOffset end)
    {
        var shopSeed = (ulong)(uint)(options.CatalogSeed ?? options.Seed);
        var promotions = new List<Promotion>();
        for (var day = start.UtcDateTime.Date.AddDays(-LongestDays); day < end.UtcDateTime; day = day.AddDays(1))
        {
            var dayNumber = (ulong)(day.Ticks / TimeSpan.TicksPerDay);
            var rng = new Prng(unchecked((shopSeed * 0x9E3779B97F4A7C15UL) ^ (dayNumber * 0xBF58476D1CE4E5B9UL) ^ 0x5EED_0F_5A1E5UL));
            var count = rng.Poisson(options.PromotionsPerSimulatedDay);
            for (var i = 0; i < count; i++)
            {
                var discount = Math.Round(rng.Uniform(0.10, 0.40) * 20) / 20;
                var uplift = Math.Round(1 + discount * rng.Uniform(3, 6), 2);
                var from = new DateTimeOffset(day, TimeSpan.Zero);
                var promotion = new Promotion(
                    $"PROMO-{day:yyyyMMdd}-{i + 1:D2}", AnomalyPlanner.Pick(catalog, rng, 0.30), from, from.AddDays(rng.NextInt(1, LongestDays + 1)), discount, uplift);
                if (promotion.End > start && promotion.Start < end)
                {
                    promotions.Add(promotion);
                }
            }
        }

        return promotions;
    }
}
