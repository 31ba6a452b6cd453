using System.Globalization;
using Platform.Contracts;
using Platform.Simulator.Inventory;

namespace Platform.Simulator.Tests.Inventory;

/// <summary>
/// Drives an <see cref="InventoryBook"/> as the pipeline would: every hour each SKU gets a fresh 24-hour forecast (as the
/// inference service's hourly sweep sends), then the hour's sales arrive. Demand is Poisson with the forecast's own
/// mean, so the forecasts are accurate by construction; <paramref name="demandScale"/> above 1 makes them too low.
/// </summary>
internal sealed class DemandScenario(int skuCount, int seed, double demandScale = 1)
{
    /// <summary>A Monday, midnight UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private const double P90Z = 1.2815515655446004;

    public IReadOnlyList<string> Skus { get; } =
        Enumerable.Range(0, skuCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"SKU-{i:D4}")).ToList();

    public long UnitsDemanded { get; private set; }

    /// <summary>Mean units per hour of a SKU: a daily shape (busy afternoons, quiet nights) times a per-SKU size.</summary>
    public static double Rate(int skuIndex, DateTimeOffset hour)
    {
        var size = 0.5 + (skuIndex % 7) * 0.75;
        var daily = 0.15 + Math.Max(0, Math.Sin((hour.Hour - 6) / 24.0 * 2 * Math.PI)) * 1.7;
        return size * daily;
    }

    public static DemandForecast Forecast(string sku, int skuIndex, DateTimeOffset origin, int horizon = 24)
    {
        var steps = new ForecastStep[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var start = origin.AddHours(h);
            var mean = Rate(skuIndex, start);
            // Poisson quantiles by the normal approximation, as a good model's would be.
            steps[h] = new ForecastStep
            {
                Step = h + 1,
                PeriodStart = start,
                P10 = Math.Max(0, mean - P90Z * Math.Sqrt(mean)),
                P50 = mean,
                P90 = mean + P90Z * Math.Sqrt(mean),
            };
        }

        return new DemandForecast { Sku = sku, ModelVersion = "test", FeatureAsOf = origin, GeneratedAt = origin, StepUnit = "hour", Steps = steps };
    }

    public void Run(InventoryBook book, int hours)
    {
        var draws = new Prng((ulong)seed);
        var line = 0;
        for (var t = 0; t < hours; t++)
        {
            var hour = Start.AddHours(t);
            for (var i = 0; i < Skus.Count; i++)
            {
                Assert.Null(book.ApplyForecast(Forecast(Skus[i], i, hour)));
            }

            var sales = new List<(DateTimeOffset At, string Sku)>();
            for (var i = 0; i < Skus.Count; i++)
            {
                var units = draws.Poisson(Rate(i, hour) * demandScale);
                for (var u = 0; u < units; u++)
                {
                    sales.Add((hour.AddSeconds(draws.NextInt(3600)), Skus[i]));
                }
            }

            foreach (var (at, sku) in sales.OrderBy(s => s.At))
            {
                UnitsDemanded++;
                Assert.Null(book.ApplySale(string.Create(CultureInfo.InvariantCulture, $"L{line++}"), sku, 1, at));
            }
        }

        book.AdvanceTo(Start.AddHours(hours));
    }
}
