using Platform.Forecasting.Baselines;

namespace Platform.Forecasting.Tests.Baselines;

/// <summary>What every baseline promises on any input: one forecast per series, finite, ordered, non-negative for demand.</summary>
public sealed class BaselineContractTests
{
    public static TheoryData<string> Models => [NaiveBaseline.ModelName, SeasonalNaiveBaseline.ModelName, MovingAverageBaseline.ModelName, HoltWintersBaseline.ModelName];

    private static LocalBaseline Create(string name) => name switch
    {
        NaiveBaseline.ModelName => new NaiveBaseline(),
        SeasonalNaiveBaseline.ModelName => new SeasonalNaiveBaseline(),
        MovingAverageBaseline.ModelName => new MovingAverageBaseline(),
        _ => new HoltWintersBaseline(),
    };

    private static List<TimeSeries> Awkward() =>
    [
        BaselineTestData.Series("demand", BaselineTestData.Demand(24 * 20, seed: 1)),
        BaselineTestData.Series("one-point", 7),
        BaselineTestData.Series("two-points", 0, 3),
        BaselineTestData.Series("all-zero", new double[100]),
        BaselineTestData.Series("intermittent", Enumerable.Range(0, 200).Select(t => t % 17 == 0 ? 40.0 : 0).ToArray()),
        BaselineTestData.Series("spike", Enumerable.Range(0, 200).Select(t => t == 150 ? 1e6 : 5.0).ToArray()),
        BaselineTestData.Series("huge", Enumerable.Range(0, 100).Select(t => 1e150 * (1 + t % 3)).ToArray()),
        BaselineTestData.Series("negative", Enumerable.Range(0, 100).Select(t => Math.Sin(t / 3.0) * 10 - 5).ToArray()),
    ];

    [Theory]
    [MemberData(nameof(Models))]
    public void Baselines_GiveFiniteOrderedQuantilesForEverySeries(string name)
    {
        var history = Awkward();
        var forecasts = Create(name).FitPredict(history, new ForecastRequest(Horizon: 30, SeasonLength: 24));

        Assert.Equal(history.Count, forecasts.Count);
        for (var i = 0; i < history.Count; i++)
        {
            var f = forecasts[i];
            Assert.Equal(30, f.Horizon);
            for (var h = 0; h < 30; h++)
            {
                Assert.True(double.IsFinite(f.P10[h]) && double.IsFinite(f.P50[h]) && double.IsFinite(f.P90[h]), $"{history[i].Id} step {h + 1}");
                Assert.True(f.P10[h] <= f.P50[h] && f.P50[h] <= f.P90[h], $"{history[i].Id} step {h + 1}: {f.P10[h]} {f.P50[h]} {f.P90[h]}");
                if (history[i].Id != "negative")
                {
                    Assert.True(f.P10[h] >= 0, $"{history[i].Id} step {h + 1} below 0");
                }
            }
        }

        // A series with negative values is not demand: its forecasts may go below 0.
        Assert.Contains(forecasts[^1].P10, v => v < 0);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Baselines_ForecastAConstantSeriesAsThatConstantWithAZeroWidthInterval(string name)
    {
        var forecasts = Create(name).FitPredict([BaselineTestData.Series("flat", Enumerable.Repeat(5.0, 96).ToArray())], new ForecastRequest(48, 24));

        Assert.All(forecasts[0].P10, v => Assert.Equal(5, v, 9));
        Assert.All(forecasts[0].P50, v => Assert.Equal(5, v, 9));
        Assert.All(forecasts[0].P90, v => Assert.Equal(5, v, 9));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Baselines_ReportProgressUpToOne(string name)
    {
        var reports = new List<double>();
        var progress = new SynchronousProgress(reports);
        var history = Enumerable.Range(0, 250).Select(i => BaselineTestData.Series($"s{i}", BaselineTestData.Demand(60, seed: i))).ToList();

        Create(name).FitPredict(history, new ForecastRequest(5, 24), progress);

        Assert.Equal(1.0, reports.Max());
        Assert.True(reports.Count <= 101);
    }

    [Fact]
    public void Baselines_RejectAnEmptySeriesAndABadRequest()
    {
        var empty = BaselineTestData.Series("empty");
        Assert.Contains("'empty'", Assert.Throws<ArgumentException>(() => new NaiveBaseline().FitPredict([empty], new ForecastRequest(1, 1))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NaiveBaseline().FitPredict([BaselineTestData.Series("s", 1)], new ForecastRequest(0, 1)));
    }

    private sealed class SynchronousProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
