using Platform.Features;
using Platform.Forecasting.Neural;
using Platform.Forecasting.Registry;
using Platform.Forecasting.Tests.Neural;

namespace Platform.Forecasting.Tests.Registry;

public class NeuralModelTrainerTests
{
    [Fact]
    public void Trainer_BacktestsRetrainsAndRegistersAVersion()
    {
        using var dir = new TempDirectory();
        var registry = new ModelRegistry(dir.Path);
        var series = SyntheticDemand.Hourly(20, 21 * 24, seed: 77).Append(
            new TimeSeries("too-short", SyntheticDemand.Start, TimeSpan.FromHours(1), [1, 2, 3])).ToArray();
        var reports = new List<double>();

        var report = new NeuralModelTrainer(SyntheticDemand.FastOptions()).TrainAndRegister(
            series, new ForecastRequest(24, 24), registry, FeatureSchema.Default.Hash, new Recorder(reports));

        Assert.Equal(1, report.Model.Version);
        Assert.Equal((20, 1), (report.BacktestSeries, report.SkippedSeries));
        Assert.NotNull(report.BacktestTraining);
        Assert.Equal(series.Length, report.FinalTraining.SeriesCount);
        foreach (var key in new[] { "mase", "smape", "wape", "wql", "coverage_80", "pinball", "seasonal_naive_mase", "seasonal_naive_wql" })
        {
            Assert.True(report.BacktestMetrics.ContainsKey(key), key);
        }

        Assert.True(report.BacktestMetrics["wql"] < report.BacktestMetrics["seasonal_naive_wql"],
            $"neural wQL {report.BacktestMetrics["wql"]:F3} vs seasonal naive {report.BacktestMetrics["seasonal_naive_wql"]:F3}");
        Assert.True(report.BacktestMetrics["mase"] < report.BacktestMetrics["seasonal_naive_mase"],
            $"neural MASE {report.BacktestMetrics["mase"]:F3} vs seasonal naive {report.BacktestMetrics["seasonal_naive_mase"]:F3}");

        var loaded = registry.LoadLatest(FeatureSchema.Default.Hash);
        Assert.Equal(report.BacktestMetrics["mase"], loaded.Metadata.BacktestMetrics["mase"]);
        Assert.Equal(series.Length, loaded.Metadata.SeriesCount);
        Assert.Equal(1.0, reports[^1]);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second >= p.First), "progress never goes back");
    }

    [Fact]
    public void Scores_FollowTheirDefinitionsOnAHandExample()
    {
        var history = new[] { new TimeSeries("s", SyntheticDemand.Start, TimeSpan.FromHours(1), [1, 3, 1, 3]) };
        var actuals = new[] { new double[] { 2, 4 } };
        var forecasts = new[] { new QuantileForecast([1, 1], [2, 3], [3, 5]) };

        var scores = BacktestScores.Compute(history, actuals, forecasts, seasonLength: 2);

        // In-sample seasonal differences |1-1|, |3-3| are 0, so MASE is undefined and left out.
        Assert.False(scores.ContainsKey("mase"));
        Assert.Equal(1.0 / 6.0, scores["wape"], 1e-12);
        Assert.Equal(1.0, scores["coverage_80"]);

        // Pinball per point: y=2 → 0.1·1 + 0 + 0.1·1 = 0.2; y=4 → 0.1·3 + 0.5·1 + 0.1·1 = 0.9.
        Assert.Equal(2 * (0.2 + 0.9) / 3 / 6, scores["wql"], 1e-12);
        Assert.Equal((0.2 + 0.9) / 3 / 2, scores["pinball"], 1e-12);
    }

    private sealed class Recorder(List<double> values) : IProgress<double>
    {
        public void Report(double value) => values.Add(value);
    }
}
