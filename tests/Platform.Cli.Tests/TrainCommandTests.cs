using System.Text.Json;
using Platform.Features;
using Platform.Forecasting.Registry;

namespace Platform.Cli.Tests;

public sealed class TrainCommandTests
{
    [Fact]
    public async Task Train_RegistersAVersionThatLoadsAndForecasts_WithItsBacktestMetrics()
    {
        using var dir = new TempDirectory();
        var input = dir.File("series.csv");
        await File.WriteAllTextAsync(input, SeriesFiles.Hourly(series: 6, hours: 500));
        var registryRoot = dir.File("models");

        var (exit, stdout, stderr) = await CliRun.RunAsync(TrainCommand.Create(),
            "--input", input, "--output", registryRoot, "--step", "hour", "--horizon", "24", "--season", "24", "--json");

        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal(1, report.RootElement.GetProperty("version").GetInt32());
        var metrics = report.RootElement.GetProperty("backtest_metrics");
        Assert.True(metrics.GetProperty("mase").GetDouble() < metrics.GetProperty("seasonal_naive_mase").GetDouble(), stdout);

        var registry = new ModelRegistry(registryRoot);
        var model = registry.LoadLatest(FeatureSchema.Default.Hash);
        Assert.Equal(1, model.Version);
        Assert.Equal(24, model.Metadata.Horizon);
        Assert.True(model.Metadata.BacktestMetrics.ContainsKey("wql"));
        Assert.Throws<FeatureSchemaMismatchException>(() => registry.LoadLatest("0000000000000000"));

        // A second run registers the next version beside the first.
        (exit, _, stderr) = await CliRun.RunAsync(TrainCommand.Create(),
            "--input", input, "--output", registryRoot, "--step", "hour", "--horizon", "24", "--season", "24");
        Assert.True(exit == 0, stderr);
        Assert.Equal([1, 2], registry.Versions());
    }

    [Fact]
    public async Task Train_MissingInput_ExitsTwo()
    {
        using var dir = new TempDirectory();

        var (exit, _, stderr) = await CliRun.RunAsync(TrainCommand.Create(), "--input", dir.File("nope.csv"), "--output", dir.File("models"));

        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }
}
