using System.Globalization;
using System.Text;

namespace Platform.Cli.Tests;

public sealed class DetectCommandTests
{
    [Fact]
    public async Task Detect_FlagsAnInjectedSpikeOnce_AndWritesTheFiveColumnsForEveryRow()
    {
        using var dir = new TempDirectory();
        var input = dir.File("series.csv");
        var text = new StringBuilder(SeriesFiles.Hourly(series: 3, hours: 24 * 21));
        // sku-1 is about 8 units an hour; four hours of 80 on day 20 is a spike a user would want flagged.
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var spikeStart = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc).AddDays(19).AddHours(10);
        for (var i = 1; i < lines.Count; i++)
        {
            var f = lines[i].Split(',');
            var at = DateTime.Parse(f[1], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            if (f[0] == "sku-1" && at >= spikeStart && at < spikeStart.AddHours(4))
            {
                lines[i] = $"{f[0]},{f[1]},80";
            }
        }

        await File.WriteAllLinesAsync(input, lines);
        var output = dir.File("scored.csv");

        var (exit, _, stderr) = await CliRun.RunAsync(DetectCommand.Create(), "--input", input, "--output", output);

        Assert.True(exit == 0, stderr);
        var rows = (await File.ReadAllLinesAsync(output)).ToList();
        Assert.StartsWith("series_id,timestamp,value,score,is_anomaly", rows[0], StringComparison.Ordinal);
        Assert.Equal(lines.Count - 1, rows.Count - 1);
        Assert.DoesNotContain(rows, r => r.Contains("NaN", StringComparison.Ordinal));
        var flagged = rows.Skip(1).Select(r => r.Split(',')).Where(f => f[4] == "1").ToList();
        var flag = Assert.Single(flagged);
        Assert.Equal("sku-1", flag[0]);
        var flaggedAt = DateTime.Parse(flag[1], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.InRange(flaggedAt, spikeStart, spikeStart.AddHours(3));
        Assert.All(rows.Skip(1), r =>
        {
            var score = double.Parse(r.Split(',')[3], CultureInfo.InvariantCulture);
            Assert.InRange(score, 0, 1);
        });
    }

    [Fact]
    public async Task Detect_NonNumericValue_ExitsTwoNamingTheRow()
    {
        using var dir = new TempDirectory();
        var input = dir.File("series.csv");
        await File.WriteAllTextAsync(input, "series_id,timestamp,value\na,2026-01-05T00:00:00Z,1\na,2026-01-05T01:00:00Z,lots\n");

        var (exit, _, stderr) = await CliRun.RunAsync(DetectCommand.Create(), "--input", input);

        Assert.Equal(2, exit);
        Assert.Contains("detect: ", stderr, StringComparison.Ordinal);
        Assert.Contains("lots", stderr, StringComparison.Ordinal);
    }
}
