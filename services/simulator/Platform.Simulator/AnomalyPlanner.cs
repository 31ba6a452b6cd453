namespace Platform.Simulator;

/// <summary>Plans the labelled anomalies of a run, up front, from their own random stream, and takes its promotions from the shop's calendar.</summary>
internal static class AnomalyPlanner
{
    public static (IReadOnlyList<InjectedAnomaly> Anomalies, IReadOnlyList<Promotion> Promotions) Plan(
        SimulatorOptions options, Catalog catalog, IReadOnlyList<string> regions, DateTimeOffset start, DateTimeOffset end)
    {
        var rng = new Prng(unchecked((ulong)options.Seed * 0x9E3779B97F4A7C15UL + 1));
        var days = (end - start).TotalDays;
        var hourTable = new AliasTable(options.HourOfDayWeights);

        // Anomalies live in [spanStart, spanEnd): the whole run unless the options narrow it.
        var spanStart = options.AnomaliesNotBefore is { } notBefore && notBefore > start ? notBefore : start;
        var spanEnd = options.AnomaliesNotAfter is { } notAfter && notAfter < end ? notAfter : end;
        var spanDays = Math.Max(0, (spanEnd - spanStart).TotalDays);
        var anomalies = new List<InjectedAnomaly>();
        var count = rng.Poisson(options.AnomaliesPerSimulatedDay * spanDays);
        for (var i = 0; i < count; i++)
        {
            // Start in an hour with traffic, so the anomaly is visible in the data.
            DateTimeOffset from;
            if (spanStart == start && spanEnd == end)
            {
                var day = start.UtcDateTime.Date.AddDays(rng.NextInt(Math.Max(1, (int)Math.Ceiling(days))));
                from = new DateTimeOffset(day, TimeSpan.Zero).AddHours(hourTable.Sample(rng)).AddMinutes(rng.NextInt(60));
                if (from < start) from = start;
                if (from >= end) from = start + (end - start) * rng.NextDouble();
            }
            else
            {
                // A narrowed span may be a few hours: draw inside it, weighting each moment by its hour's traffic.
                from = SampleByTraffic(rng, options.HourOfDayWeights, spanStart, spanEnd);
            }

            from = Truncate(from);
            var kind = SimulatedAnomalyKinds.All[rng.NextInt(SimulatedAnomalyKinds.All.Count)];
            var anomaly = kind switch
            {
                SimulatedAnomalyKinds.DemandSpike => new InjectedAnomaly(kind, from, from.AddMinutes(rng.NextInt(60, 360)),
                    Pick(catalog, rng, 0.20), null, null, Math.Round(rng.Uniform(3, 10), 1)),
                SimulatedAnomalyKinds.DemandDrop => new InjectedAnomaly(kind, from, from.AddMinutes(rng.NextInt(120, 720)),
                    Pick(catalog, rng, 0.05), null, null, Math.Round(rng.Uniform(0, 0.05), 3)),
                SimulatedAnomalyKinds.RegionOutage => new InjectedAnomaly(kind, from, from.AddMinutes(rng.NextInt(30, 180)),
                    null, regions[rng.NextInt((regions.Count + 1) / 2)], null, Math.Round(rng.Uniform(0, 0.05), 3)),
                SimulatedAnomalyKinds.CustomerBurst => new InjectedAnomaly(kind, from, from.AddMinutes(rng.NextInt(10, 60)),
                    null, null, CustomerIds.Format(rng.NextInt(options.CustomerCount)), Math.Round(rng.Uniform(30, 240))),
                _ => new InjectedAnomaly(kind, from, from.AddMinutes(rng.NextInt(30, 240)),
                    Pick(catalog, rng, 0.20), null, null, rng.Chance(0.5) ? 0.01 : 100),
            };
            if (anomaly.End > spanEnd)
            {
                // Inside a narrowed span, keep the whole anomaly by starting it earlier (a cut-short one may be too short to
                // show); where the span is too short for it, or no span is set, cut it at the end.
                var length = anomaly.End - anomaly.Start;
                anomaly = spanEnd - length >= spanStart && (spanStart != start || spanEnd != end)
                    ? anomaly with { Start = Truncate(spanEnd - length), End = Truncate(spanEnd - length) + length }
                    : anomaly with { End = spanEnd };
            }

            anomalies.Add(anomaly);
        }

        var promotions = PromotionCalendar.Between(options, catalog, start, end);
        return (anomalies.OrderBy(a => a.Start).ToArray(), promotions.OrderBy(p => p.Start).ToArray());
    }

    private static DateTimeOffset SampleByTraffic(Prng rng, double[] hourWeights, DateTimeOffset from, DateTimeOffset to)
    {
        var max = hourWeights.Max();
        var candidate = from;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            candidate = from + (to - from) * rng.NextDouble();
            if (rng.NextDouble() * max <= hourWeights[candidate.UtcDateTime.Hour % hourWeights.Length])
            {
                break;
            }
        }

        return candidate;
    }

    internal static string Pick(Catalog catalog, Prng rng, double topShare)
    {
        var n = Math.Max(5, (int)(catalog.Count * topShare));
        return catalog.ByRank[rng.NextInt(Math.Min(n, catalog.Count))].Sku;
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
