using Platform.Forecasting.Evaluation;

namespace Platform.Forecasting.Tests.Evaluation;

public sealed class ForecastModelCatalogTests
{
    [Fact]
    public void Catalog_ListsEveryModelAndCreatesAllByDefault()
    {
        var catalog = ForecastModelCatalog.CreateDefault();

        Assert.Equal(["naive", "seasonal_naive", "moving_average", "ets", "neural"], catalog.Names);
        Assert.Equal(catalog.Names, catalog.Create([]).Select(m => m.Name));
        Assert.Equal(["ets", "naive"], catalog.Create(["ets", "naive"]).Select(m => m.Name));
    }

    [Fact]
    public void Catalog_RejectsUnknownAndRepeatedNamesListingTheKnownOnes()
    {
        var catalog = ForecastModelCatalog.CreateDefault();

        var unknown = Assert.Throws<ArgumentException>(() => catalog.Create(["naive", "prophet"]));
        Assert.Contains("prophet", unknown.Message);
        Assert.Contains("known: naive, seasonal_naive, moving_average, ets", unknown.Message);
        Assert.Throws<ArgumentException>(() => catalog.Create(["naive", "naive"]));
        Assert.Throws<ArgumentException>(() => catalog.Add("naive", () => new Platform.Forecasting.Baselines.NaiveBaseline()));
    }

    [Fact]
    public void Catalog_TakesANewModelInOneLineAndTheBacktestRunsIt()
    {
        var catalog = ForecastModelCatalog.CreateDefault()
            .Add("global", () => new FixedForecastModel("global", (s, h) => new QuantileForecast(Enumerable.Repeat(s.Values[^1], h).ToArray(), Enumerable.Repeat(s.Values[^1], h).ToArray(), Enumerable.Repeat(s.Values[^1], h).ToArray())));
        var series = new TimeSeries("a", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromDays(1), [1, 2, 3, 4]);

        var result = Backtester.Run([series], new BacktestOptions(1, 1), catalog.Create(["global", "naive"]));

        Assert.Equal(["global", "naive"], result.Scores.Select(s => s.Model));
        Assert.Equal(result.Scores[1].Wape, result.Scores[0].Wape);
    }
}
