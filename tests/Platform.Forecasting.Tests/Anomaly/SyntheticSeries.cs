using Platform.Forecasting.Anomaly;

namespace Platform.Forecasting.Tests.Anomaly;

/// <summary>Seeded synthetic series for the detector tests: Poisson counts with a daily and weekly shape.</summary>
internal static class SyntheticSeries
{
    /// <summary>Hour-of-day shape of a shop: quiet nights, busy middays (mean 1).</summary>
    public static double HourFactor(int hour) => hour switch
    {
        < 7 => 0.1,
        < 9 => 0.6,
        < 17 => 2.0,
        < 21 => 1.0,
        _ => 0.2,
    } / 0.9375;

    /// <summary>Day-of-week factor, Monday first; Saturday is quiet (mean 1).</summary>
    public static double DayFactor(int day) => new[] { 1.1, 1.2, 1.2, 1.3, 1.1, 0.3, 0.8 }[day % 7];

    /// <summary>Hourly Poisson demand with mean <paramref name="level"/> × hour × day factors, from a Monday midnight.</summary>
    public static double[] HourlyCounts(int hours, double level, int seed)
    {
        var rng = new Random(seed);
        var values = new double[hours];
        for (var t = 0; t < hours; t++) values[t] = Poisson(rng, Mean(t, level));
        return values;
    }

    public static double Mean(int t, double level) => level * HourFactor(t % 24) * DayFactor(t / 24);

    public static int Poisson(Random rng, double mean)
    {
        if (mean > 50) return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * Normal(rng)));
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = rng.NextDouble();
        while (p > limit)
        {
            k++;
            p *= rng.NextDouble();
        }

        return k;
    }

    public static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static SeriesDetectorOptions Hourly => new() { SeasonLength = 24, SecondSeasonLength = 168 };
}
