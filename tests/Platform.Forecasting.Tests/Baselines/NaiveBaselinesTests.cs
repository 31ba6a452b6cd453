using Platform.Forecasting.Baselines;

namespace Platform.Forecasting.Tests.Baselines;

public sealed class NaiveBaselinesTests
{
    [Fact]
    public void Naive_ForecastsTheLastValueWithIntervalsFromPastErrorsAtEachStep()
    {
        // 10, 11, 10, 11, … : one-step errors alternate +1 and −1; two-step errors are all 0.
        var y = Enumerable.Range(0, 20).Select(t => t % 2 == 0 ? 10.0 : 11.0).ToArray();

        var f = new NaiveBaseline().Forecast(y, horizon: 2, seasonLength: 1);

        Assert.Equal([11.0, 11], f.P50);
        Assert.Equal([10.0, 11], f.P10);
        Assert.Equal([12.0, 11], f.P90);
    }

    [Fact]
    public void Naive_WidensOneStepErrorsBySqrtHWhenThereAreTooFewStepErrors()
    {
        // One-step errors 2, −1, 2, −1: the 10th percentile is −1 and the 90th is 2 (type 7 interpolation).
        double[] y = [1, 3, 2, 4, 3];

        var f = new NaiveBaseline().Forecast(y, horizon: 4, seasonLength: 1);

        for (var h = 1; h <= 4; h++)
        {
            Assert.Equal(3, f.P50[h - 1]);
            Assert.Equal(3 + 2 * Math.Sqrt(h), f.P90[h - 1], 12);
            // Demand never goes below 0: 3 − √h stays above it here.
            Assert.Equal(3 - Math.Sqrt(h), f.P10[h - 1], 12);
        }
    }

    [Fact]
    public void SeasonalNaive_RepeatsTheLastSeasonBeyondOneSeason()
    {
        double[] y = [1, 2, 3, 4, 5, 6, 7];

        var f = new SeasonalNaiveBaseline().Forecast(y, horizon: 7, seasonLength: 3);

        Assert.Equal([5.0, 6, 7, 5, 6, 7, 5], f.P50);
    }

    [Fact]
    public void SeasonalNaive_FallsBackToNaiveWithLessThanOneSeason()
    {
        var f = new SeasonalNaiveBaseline().Forecast([4, 5], horizon: 3, seasonLength: 24);

        Assert.Equal([5.0, 5, 5], f.P50);
    }

    [Fact]
    public void SeasonalNaive_IntervalFromSameStepErrorsOfPastSeasons()
    {
        // A season of 2 whose second phase grows by 1 each season: seasonal-naive errors are 0 then +1.
        var y = new double[40];
        for (var t = 0; t < y.Length; t++)
        {
            y[t] = t % 2 == 0 ? 5 : 10 + t / 2;
        }

        var f = new SeasonalNaiveBaseline().Forecast(y, horizon: 2, seasonLength: 2);

        Assert.Equal([5.0, 29], f.P50);
        // Step 1 errors mix both phases (0 and +1), so the 90th percentile is +1; the 10th is 0.
        Assert.Equal(5, f.P10[0]);
        Assert.Equal(6, f.P90[0]);
        Assert.Equal(29, f.P10[1]);
        Assert.Equal(30, f.P90[1]);
    }

    [Fact]
    public void MovingAverage_ForecastsTheMeanOfTheLastSeason()
    {
        double[] y = [100, 1, 2, 3, 4];

        Assert.Equal([2.5, 2.5], new MovingAverageBaseline().Forecast(y, horizon: 2, seasonLength: 4).P50);
        // Without a season the window is 7 periods, or the whole history when it is shorter.
        Assert.Equal(22, new MovingAverageBaseline().Forecast(y, horizon: 1, seasonLength: 1).P50[0]);
    }
}
