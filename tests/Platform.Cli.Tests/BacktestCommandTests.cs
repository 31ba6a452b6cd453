using System.Text.Json;

namespace Platform.Cli.Tests;

public sealed class BacktestCommandTests
{
    [Fact]
    public async Task Backtest_ScoresEveryModelWithFiniteMetrics_AndTheNeuralModelBeatsSeasonalNaive()
    {
        using var dir = new TempDirectory();
        var input = dir.File("series.csv");
        await File.WriteAllTextAsync(input, SeriesFiles.Hourly(series: 8, hours: 600));
        var forecasts = dir.File("forecasts.csv");

        var (exit, stdout, stderr) = await CliRun.RunAsync(BacktestCommand.Create(),
            "--input", input, "--horizon", "24", "--season", "24", "--forecasts-out", forecasts, "--json");

        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var models = report.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetString()!);
        Assert.Equal(["naive", "seasonal_naive", "moving_average", "ets", "neural"], models.Keys);
        foreach (var model in models.Values)
        {
            foreach (var metric in new[] { "mase", "smape", "wape", "wql", "coverage_80" })
            {
                Assert.Equal(JsonValueKind.Number, model.GetProperty(metric).ValueKind);
            }
        }

        double Metric(string model, string name) => models[model].GetProperty(name).GetDouble();
        Assert.True(Metric("neural", "mase") < Metric("seasonal_naive", "mase"), stdout);
        Assert.True(Metric("neural", "wql") < Metric("seasonal_naive", "wql"), stdout);
        Assert.InRange(Metric("neural", "coverage_80"), 0.6, 0.97);

        // One row per held-out point and model, quantiles in order.
        var rows = (await File.ReadAllLinesAsync(forecasts)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(8 * 24 * 5, rows.Count);
        Assert.All(rows, r =>
        {
            var (p10, p50, p90) = (double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture), double.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(p10 <= p50 && p50 <= p90, string.Join(',', r));
        });
    }

    [Fact]
    public async Task Backtest_ReportsBadRowsAndShortSeries_AndStillScoresTheRest()
    {
        using var dir = new TempDirectory();
        var input = dir.File("series.csv");
        var text = SeriesFiles.Hourly(series: 2, hours: 200)
            + "sku-0,2026-01-20T00:00:00Z,abc\n"      // not a number
            + "short,2026-01-05T00:00:00Z,1\nshort,2026-01-05T01:00:00Z,2\n"; // shorter than the horizon
        await File.WriteAllTextAsync(input, text);

        var (exit, stdout, stderr) = await CliRun.RunAsync(BacktestCommand.Create(),
            "--input", input, "--horizon", "24", "--season", "24", "--models", "naive,seasonal_naive", "--json");

        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var counts = report.RootElement.GetProperty("issues").GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("non_numeric_value").GetInt32());
        Assert.Equal(1, counts.GetProperty("too_short").GetInt32());
        Assert.Equal(2, report.RootElement.GetProperty("series").GetProperty("evaluated").GetInt32());
        Assert.DoesNotContain("NaN", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--horizon", "0")]
    [InlineData("--models", "prophet")]
    [InlineData("--bogus", "1")]
    public async Task Backtest_BadUsage_ExitsTwoWithAMessage(string option, string value)
    {
        using var dir = new TempDirectory();
        var input = dir.File("series.csv");
        await File.WriteAllTextAsync(input, SeriesFiles.Hourly(series: 1, hours: 100));
        string[] args = option == "--horizon"
            ? ["--input", input, "--season", "24", option, value]
            : ["--input", input, "--season", "24", "--horizon", "24", option, value];

        var (exit, _, stderr) = await CliRun.RunAsync(BacktestCommand.Create(), args);

        Assert.Equal(2, exit);
        Assert.StartsWith("backtest: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_FileWithoutHeaderOrRows_ExitsTwo()
    {
        using var dir = new TempDirectory();
        var input = dir.File("empty.csv");
        await File.WriteAllTextAsync(input, "this is not a series file\n");

        var (exit, _, stderr) = await CliRun.RunAsync(BacktestCommand.Create(), "--input", input, "--horizon", "4", "--season", "1");

        Assert.Equal(2, exit);
        Assert.Contains("backtest: ", stderr, StringComparison.Ordinal);
    }
}
