using Platform.Forecasting.Data;
using Platform.Forecasting.Evaluation;

namespace Platform.Forecasting.Tests.Evaluation;

public sealed class BacktesterTests
{
    private static TimeSeries Series(string id, params double[] values) =>
        new(id, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromDays(1), values);

    /// <summary>P10 = 1, P50 = 2, P90 = 4 at every step.</summary>
    private static FixedForecastModel Flat() => new("flat", (_, h) => new QuantileForecast(Enumerable.Repeat(1.0, h).ToArray(), Enumerable.Repeat(2.0, h).ToArray(), Enumerable.Repeat(4.0, h).ToArray()));

    [Fact]
    public void Backtest_ScoresHeldOutPointsAgainstHandComputedMetrics()
    {
        // a: train [1, 3, 1, 3] (M = 2: seasonal differences 0 → lag-1 scale 2), held out [2, 5].
        // b: train [0, 2, 4, 6] (seasonal scale 4), held out [0, 3].
        var series = new[] { Series("a", 1, 3, 1, 3, 2, 5), Series("b", 0, 2, 4, 6, 0, 3) };
        var model = Flat();

        var result = Backtester.Run(series, new BacktestOptions(Horizon: 2, SeasonLength: 2), [model]);

        var score = Assert.Single(result.Scores);
        Assert.Equal(2, score.Series);
        Assert.Equal(4, score.Points);
        // MASE: a: MAE (0 + 3)/2 = 1.5 / 2 = 0.75; b: MAE (2 + 1)/2 = 1.5 / 4 = 0.375; mean 0.5625.
        Assert.Equal(0.5625, score.Mase!.Value, 12);
        Assert.Equal(2, score.MaseSeries);
        Assert.Equal(1, score.MaseScaleFallbacks);
        // sMAPE: a: (0 + 200·3/7)/2; b: (200·2/2 + 200·1/5)/2.
        Assert.Equal(((200.0 * 3 / 7) / 2 + (200 + 40.0) / 2) / 2, score.Smape, 12);
        // WAPE: Σ|y − P50| = 0 + 3 + 2 + 1 = 6; Σ|y| = 10.
        Assert.Equal(0.6, score.Wape!.Value, 12);
        // Pinball 0.1 (P10 = 1): y = 2, 5, 0, 3 → 0.1, 0.4, 0.9, 0.2 = 1.6 → wQL 0.32.
        // Pinball 0.5 (P50 = 2): 0, 1.5, 1, 0.5 = 3 → wQL 0.6 (= WAPE).
        // Pinball 0.9 (P90 = 4): 0.2, 0.9, 0.4, 0.1 = 1.6 → wQL 0.32.
        Assert.Equal(0.32, score.WqlP10!.Value, 12);
        Assert.Equal(0.6, score.WqlP50!.Value, 12);
        Assert.Equal(0.32, score.WqlP90!.Value, 12);
        Assert.Equal((0.32 + 0.6 + 0.32) / 3, score.Wql!.Value, 12);
        // Inside [1, 4]: 2 and 3 → 2 of 4.
        Assert.Equal(0.5, score.Coverage80);
    }

    [Fact]
    public void Backtest_FitsOnEverythingButTheLastHPointsInOneCall()
    {
        var model = Flat();

        Backtester.Run([Series("a", 1, 2, 3, 4, 5), Series("b", 6, 7, 8, 9)], new BacktestOptions(2, 1), [model]);

        // One call with every series, as a global model needs.
        var call = Assert.Single(model.Calls);
        Assert.Equal([1.0, 2, 3], call[0].Values);
        Assert.Equal([6.0, 7], call[1].Values);
    }

    [Fact]
    public void Backtest_LeavesOutSeriesTooShortForTheHorizon()
    {
        var result = Backtester.Run([Series("long", 1, 2, 3, 4), Series("short", 1, 2, 3)], new BacktestOptions(3, 1), [Flat()]);

        Assert.Equal(["long"], result.Evaluated.Select(s => s.Id));
        var issue = Assert.Single(result.LeftOut);
        Assert.Equal(SeriesIssueCodes.TooShort, issue.Code);
        Assert.Equal("short", issue.SeriesId);
    }

    [Fact]
    public void Backtest_FailsClearlyWhenNoSeriesIsLongEnough()
    {
        var error = Assert.Throws<InvalidDataException>(() => Backtester.Run([Series("a", 1, 2)], new BacktestOptions(5, 1), [Flat()]));

        Assert.Contains("at least 6 points", error.Message);
        Assert.Contains("longest has 2", error.Message);
    }

    [Fact]
    public void Backtest_GivesNullNotNaNWhenEveryHeldOutValueIsZero()
    {
        var model = new FixedForecastModel("zero", (_, h) => new QuantileForecast(new double[h], new double[h], new double[h]));

        var score = Backtester.Run([Series("a", 0, 0, 0, 0)], new BacktestOptions(2, 1), [model]).Scores[0];

        Assert.Null(score.Wape);
        Assert.Null(score.Wql);
        Assert.Null(score.Mase);
        Assert.Equal(0, score.MaseSeries);
        Assert.Equal(0, score.Smape);
        Assert.Equal(1, score.Coverage80);
    }

    [Fact]
    public void Backtest_NamesAModelThatReturnsNaNOrUnorderedQuantiles()
    {
        var nan = new FixedForecastModel("broken", (_, h) => new QuantileForecast(new double[h], Enumerable.Repeat(double.NaN, h).ToArray(), new double[h]));
        var crossed = new FixedForecastModel("crossed", (_, h) => new QuantileForecast(Enumerable.Repeat(3.0, h).ToArray(), new double[h], new double[h]));

        Assert.Contains("'broken'", Assert.Throws<InvalidOperationException>(() => Backtester.Run([Series("a", 1, 2, 3)], new BacktestOptions(1, 1), [nan])).Message);
        Assert.Contains("'crossed'", Assert.Throws<InvalidOperationException>(() => Backtester.Run([Series("a", 1, 2, 3)], new BacktestOptions(1, 1), [crossed])).Message);
    }

    [Fact]
    public void Backtest_ReportsProgressAcrossModelsUpToOne()
    {
        var reports = new List<double>();

        Backtester.Run([Series("a", 1, 2, 3)], new BacktestOptions(1, 1), [Flat(), new FixedForecastModel("other", (_, h) => new QuantileForecast(new double[h], new double[h], new double[h]))], new Recorder(reports));

        Assert.Equal([0.5, 0.5, 1.0, 1.0], reports);
    }

    private sealed class Recorder(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }
}
