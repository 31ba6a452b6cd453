using System.Globalization;
using System.Text;

namespace Platform.Cli.Tests;

/// <summary>
/// Long CSVs (series_id,timestamp,value) with a daily cycle and noise, as a user's export would look. The noise is
/// large (about a third of the level), as in real demand, so a model that averages several days should beat
/// seasonal naive, which repeats one noisy day.
/// </summary>
internal static class SeriesFiles
{
    public static string Hourly(int series, int hours, int seed = 1)
    {
        var random = new Random(seed);
        var text = new StringBuilder("series_id,timestamp,value\n");
        var start = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);
        for (var s = 0; s < series; s++)
        {
            var level = 5 + 3 * s;
            for (var t = 0; t < hours; t++)
            {
                var daily = 1 + 0.8 * Math.Sin(2 * Math.PI * (t % 24) / 24);
                var noise = (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 0.6 * level;
                var value = Math.Max(0, Math.Round(level * daily + noise, 2));
                text.Append(CultureInfo.InvariantCulture, $"sku-{s},{start.AddHours(t):yyyy-MM-ddTHH:mm:ssZ},{value.ToString(CultureInfo.InvariantCulture)}\n");
            }
        }

        return text.ToString();
    }
}
