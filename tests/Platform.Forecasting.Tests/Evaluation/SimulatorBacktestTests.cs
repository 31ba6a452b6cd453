using System.Text.Json;
using Platform.Contracts;
using Platform.Forecasting.Data;
using Platform.Forecasting.Evaluation;
using Platform.Simulator;

namespace Platform.Forecasting.Tests.Evaluation;

public sealed class SimulatorBacktestTests
{
    [Fact]
    public void Backtest_OnSimulatedHourlyDemandTheDailySeasonBeatsNaive()
    {
        var options = new SimulatorOptions { Seed = 11, SkuCount = 100, MeanOrdersPerSecond = 60, TimeCompression = 3600, MalformedShare = 0, DuplicateShare = 0 };
        var builder = new DemandSeriesBuilder(TimeSpan.FromHours(1));
        OrderDemand.Add(builder, new OrderSimulator(options).Generate(TimeSpan.FromSeconds(24 * 7))
            .Where(e => e.Kind == SimulatedEventKind.Valid)
            .Select(e => JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!));
        var series = builder.Build(top: 20, from: options.SimulatedStart.UtcDateTime);

        var result = Backtester.Run(series, new BacktestOptions(24, 24), ForecastModelCatalog.CreateDefault().Create([]));

        var score = result.Scores.ToDictionary(s => s.Model);
        Assert.Equal(20, score["naive"].Series);
        // Hour-of-day demand: copying yesterday's hours, or learning the daily shape, beats repeating the last hour.
        Assert.True(score["seasonal_naive"].Mase < score["naive"].Mase);
        Assert.True(score["ets"].Mase < score["naive"].Mase);
        Assert.True(score["ets"].Wql < score["naive"].Wql);
    }
}
