using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Tests.Neural;

[Collection(TrainedHourlyModelCollection.Name)]
public class NeuralForecasterTests(TrainedHourlyModel trained)
{
    [Fact]
    public void Neural_BeatsSeasonalNaiveOnPinballLoss()
    {
        var naive = trained.History
            .Select(s => ShortSeriesFallback.Forecast(s.Values, TrainedHourlyModel.Horizon, TrainedHourlyModel.Season, nonNegative: true))
            .ToArray();

        var neuralLoss = SyntheticDemand.MeanPinball(trained.Actuals, trained.Forecasts);
        var naiveLoss = SyntheticDemand.MeanPinball(trained.Actuals, naive);

        Assert.True(neuralLoss < 0.85 * naiveLoss, $"neural pinball {neuralLoss:F4} vs seasonal naive {naiveLoss:F4}");
    }

    [Fact]
    public void Neural_QuantilesAreOrderedFiniteAndNonNegative()
    {
        Assert.Equal(trained.History.Count, trained.Forecasts.Count);
        foreach (var forecast in trained.Forecasts)
        {
            Assert.Equal(TrainedHourlyModel.Horizon, forecast.Horizon);
            for (var h = 0; h < forecast.Horizon; h++)
            {
                Assert.True(double.IsFinite(forecast.P10[h]) && double.IsFinite(forecast.P90[h]));
                Assert.True(forecast.P10[h] >= 0);
                Assert.True(forecast.P10[h] <= forecast.P50[h] && forecast.P50[h] <= forecast.P90[h]);
            }
        }
    }

    [Fact]
    public void Neural_IntervalCoversRoughlyEightyPercent()
    {
        var points = 0;
        var covered = 0;
        for (var i = 0; i < trained.Actuals.Count; i++)
        {
            for (var h = 0; h < TrainedHourlyModel.Horizon; h++)
            {
                points++;
                var y = trained.Actuals[i][h];
                covered += y >= trained.Forecasts[i].P10[h] && y <= trained.Forecasts[i].P90[h] ? 1 : 0;
            }
        }

        var coverage = (double)covered / points;
        Assert.InRange(coverage, 0.65, 0.95);
    }

    [Fact]
    public void Neural_UsesAWeekOfHourlyHistoryAndStopsOnValidation()
    {
        Assert.Equal(168, trained.Model.Layout.Lookback);
        Assert.True(trained.Model.Training.ValidationWindows > 0);
        Assert.InRange(trained.Model.Training.BestEpoch, 1, trained.Model.Training.Epochs);
        Assert.True(double.IsFinite(trained.Model.Training.BestValidationLoss));
    }

    [Fact]
    public void Neural_ShortSeriesGetSeasonalNaive()
    {
        var shortValues = Enumerable.Range(0, 50).Select(i => (double)(i % 24)).ToArray();
        var withShort = trained.History.Append(new TimeSeries("short", SyntheticDemand.Start, TimeSpan.FromHours(1), shortValues)).ToArray();

        var forecasts = trained.Model.Predict(withShort);

        var fallback = forecasts[^1];
        for (var h = 0; h < TrainedHourlyModel.Horizon; h++)
        {
            Assert.Equal(shortValues[50 - 24 + h], fallback.P50[h]);
        }

        Assert.Equal(trained.Forecasts[0].P50, forecasts[0].P50);
    }

    [Fact]
    public void Neural_OutputIsFiniteForExtremeWeights()
    {
        var random = new DeterministicRandom(99);
        var network = new QuantileMlp(10, 8, 8, 4);
        foreach (var parameter in network.Parameters)
        {
            for (var i = 0; i < parameter.Length; i++)
            {
                parameter[i] = (float)(3 * random.NextGaussian());
            }
        }

        var x = Enumerable.Range(0, 50 * 10).Select(_ => (float)(10 * random.NextGaussian())).ToArray();
        var activations = new MlpActivations(network, 50);
        network.Forward(x, 50, activations);

        for (var i = 0; i < 50 * 4; i++)
        {
            Assert.True(activations.P10[i] <= activations.P50[i] && activations.P50[i] <= activations.P90[i]);
        }
    }
}
