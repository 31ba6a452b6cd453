namespace Platform.Forecasting.Tests.Baselines;

/// <summary>Deterministic series for baseline tests.</summary>
internal static class BaselineTestData
{
    public static TimeSeries Series(string id, params double[] values) =>
        new(id, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromHours(1), values);

    /// <summary>Hourly demand: a daily cycle, Poisson-like noise and zeros at night, from a fixed seed.</summary>
    public static double[] Demand(int length, int seed, double scale = 10)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (var t = 0; t < length; t++)
        {
            var hour = t % 24;
            var mean = hour is >= 8 and <= 18 ? scale * (1 + Math.Sin(Math.PI * (hour - 8) / 10)) : 0.2;
            values[t] = Math.Round(mean * (0.6 + 0.8 * random.NextDouble()));
        }

        return values;
    }
}
