using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Tests.Neural;

/// <summary>
/// Seeded hourly demand for tests: per series a log-normal level, a daytime profile (shifted by up to ±2 hours),
/// a weekend uplift and Poisson noise, starting on a Monday. Deterministic for a seed.
/// </summary>
internal static class SyntheticDemand
{
    public static readonly DateTime Start = new(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);

    public static IReadOnlyList<TimeSeries> Hourly(int seriesCount, int length, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var series = new TimeSeries[seriesCount];
        for (var i = 0; i < seriesCount; i++)
        {
            var level = Math.Exp(1.0 + 0.8 * random.NextGaussian());
            var shift = random.NextInt(5) - 2;
            var weekend = 1.0 + 0.5 * random.NextDouble();
            var values = new double[length];
            for (var t = 0; t < length; t++)
            {
                var timestamp = Start.AddHours(t);
                var hour = (timestamp.Hour + shift + 24) % 24;
                var daily = 0.3 + 1.7 * Math.Max(0, Math.Sin(Math.PI * (hour - 6) / 16.0));
                var week = timestamp.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? weekend : 1.0;
                values[t] = Poisson(level * daily * week, random);
            }

            series[i] = new TimeSeries($"sku-{i:D3}", Start, TimeSpan.FromHours(1), values);
        }

        return series;
    }

    /// <summary>Knuth's method below 30, a rounded normal approximation above.</summary>
    public static double Poisson(double lambda, DeterministicRandom random)
    {
        if (lambda > 30)
        {
            return Math.Max(0, Math.Round(lambda + Math.Sqrt(lambda) * random.NextGaussian()));
        }

        var limit = Math.Exp(-lambda);
        var k = 0;
        var product = 1.0;
        do
        {
            k++;
            product *= random.NextDouble();
        }
        while (product > limit);
        return k - 1;
    }

    /// <summary>Options small enough for unit tests (about a second of training on the datasets above).</summary>
    public static NeuralForecasterOptions FastOptions(ulong seed = 7) => new()
    {
        Hidden1 = 32,
        Hidden2 = 32,
        MaxEpochs = 20,
        SamplesPerEpoch = 8192,
        Seed = seed,
    };

    /// <summary>Mean pinball loss over P10/P50/P90 of forecasts against the held-out values.</summary>
    public static double MeanPinball(IReadOnlyList<double[]> actuals, IReadOnlyList<QuantileForecast> forecasts)
    {
        double total = 0;
        var count = 0;
        for (var i = 0; i < actuals.Count; i++)
        {
            for (var h = 0; h < actuals[i].Length; h++)
            {
                var y = actuals[i][h];
                total += Pinball(0.1, y, forecasts[i].P10[h]) + Pinball(0.5, y, forecasts[i].P50[h]) + Pinball(0.9, y, forecasts[i].P90[h]);
                count += 3;
            }
        }

        return total / count;
    }

    private static double Pinball(double tau, double y, double q) => y >= q ? tau * (y - q) : (1 - tau) * (q - y);
}
