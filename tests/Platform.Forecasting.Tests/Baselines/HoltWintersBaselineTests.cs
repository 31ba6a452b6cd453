using Platform.Forecasting.Baselines;

namespace Platform.Forecasting.Tests.Baselines;

public sealed class HoltWintersBaselineTests
{
    private static readonly double[] Pattern = [-3, -1, 0, 2, 5, 1, -4];

    [Fact]
    public void HoltWinters_ForecastsAnExactSeasonalPatternExactly()
    {
        var y = Enumerable.Range(0, 70).Select(t => 50 + Pattern[t % 7]).ToArray();

        var f = new HoltWintersBaseline().Forecast(y, horizon: 14, seasonLength: 7);

        for (var h = 0; h < 14; h++)
        {
            Assert.Equal(50 + Pattern[(70 + h) % 7], f.P50[h], 6);
            Assert.Equal(f.P50[h], f.P10[h], 6);
            Assert.Equal(f.P50[h], f.P90[h], 6);
        }
    }

    [Fact]
    public void HoltWinters_FollowsATrendAndDampsIt()
    {
        var y = Enumerable.Range(0, 84).Select(t => 20 + 0.5 * t + Pattern[t % 7]).ToArray();

        var f = new HoltWintersBaseline().Forecast(y, horizon: 7, seasonLength: 7);

        // The next week continues the trend (slope 0.5) up to damping: within a tenth of the true values.
        for (var h = 0; h < 7; h++)
        {
            var truth = 20 + 0.5 * (84 + h) + Pattern[(84 + h) % 7];
            Assert.InRange(f.P50[h], truth - 0.1 * Math.Abs(truth), truth + 0.01);
        }
    }

    [Fact]
    public void HoltWinters_PicksMultiplicativeSeasonWhenTheSwingGrowsWithTheLevel()
    {
        double[] shape = [0.5, 0.8, 1.0, 1.2, 1.5];
        var y = Enumerable.Range(0, 100).Select(t => (20 + 2.0 * t) * shape[t % 5]).ToArray();

        var fit = HoltWintersBaseline.Fit(y, seasonLength: 5);

        Assert.Equal(SeasonForm.Multiplicative, fit!.Value.Form);
    }

    [Fact]
    public void HoltWinters_UsesAnAdditiveSeasonForDemandWithZeros()
    {
        var fit = HoltWintersBaseline.Fit(BaselineTestData.Demand(24 * 10, seed: 3), seasonLength: 24);

        Assert.Equal(SeasonForm.Additive, fit!.Value.Form);
        var p = fit.Value.Parameters;
        Assert.InRange(p.Alpha, 0, 1);
        Assert.InRange(p.Beta, 0, 1);
        Assert.InRange(p.Gamma, 0, 1 - p.Alpha);
        Assert.InRange(p.Phi, HoltWintersParameters.MinPhi, HoltWintersParameters.MaxPhi);
    }

    [Fact]
    public void HoltWinters_FallsBackWithoutTwoSeasonsAndToNaiveBelowThreePoints()
    {
        Assert.Equal(SeasonForm.None, HoltWintersBaseline.Fit(BaselineTestData.Demand(30, seed: 1), seasonLength: 24)!.Value.Form);
        Assert.Null(HoltWintersBaseline.Fit([3, 4], seasonLength: 24));
        Assert.Equal([4.0, 4], new HoltWintersBaseline().Forecast([3, 4], horizon: 2, seasonLength: 24).P50);
    }

    [Fact]
    public void HoltWinters_IsDeterministic()
    {
        var history = Enumerable.Range(0, 30).Select(i => BaselineTestData.Series($"s{i}", BaselineTestData.Demand(24 * 8, seed: i))).ToList();
        var request = new ForecastRequest(24, 24);

        var first = new HoltWintersBaseline().FitPredict(history, request);
        var second = new HoltWintersBaseline().FitPredict(history, request);

        for (var i = 0; i < history.Count; i++)
        {
            Assert.Equal(first[i].P10, second[i].P10);
            Assert.Equal(first[i].P50, second[i].P50);
            Assert.Equal(first[i].P90, second[i].P90);
        }
    }
}
