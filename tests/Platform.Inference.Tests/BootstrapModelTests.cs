using System.Diagnostics;
using System.Text.Json;
using Platform.Contracts;
using Platform.Features;
using Platform.Forecasting.Neural;
using Platform.Inference.Models;
using Platform.Simulator;

namespace Platform.Inference.Tests;

public sealed class BootstrapModelTests
{
    [Fact]
    public void Bootstrap_SimulatedHistory_RegistersAServableHourlyModelForTheRunningSchema()
    {
        using var registry = new TestRegistry();
        var schema = new FeatureSchema(new FeatureOptions { GracePeriod = TimeSpan.FromMinutes(3) });
        var started = Stopwatch.GetTimestamp();

        var registered = BootstrapModel.TrainAndRegister(SimulatedOrders(days: 10, ordersPerHour: 200), registry.Root, schema.Hash);

        Assert.Equal(1, registered.Version);
        Assert.Equal(168, registered.Layout.Lookback);
        Assert.Equal(24, registered.Layout.Horizon);
        Assert.Equal(TimeSpan.FromHours(1), registered.Layout.Step);
        Assert.True(registered.Layout.NonNegative);
        // It loads back under the schema it was registered for, and only under that one.
        Assert.Equal(1, registry.Registry.LoadLatest(schema.Hash).Version);
        Assert.Throws<Forecasting.Registry.FeatureSchemaMismatchException>(() => registry.Registry.LoadLatest(FeatureSchema.Default.Hash));
        using var forecaster = registered.CreateForecaster();
        Assert.Equal(Forecasting.Onnx.OnnxQuantileForecaster.CpuProvider, forecaster.ExecutionProvider);
        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.True(elapsed < TimeSpan.FromMinutes(2), $"bootstrap took {elapsed}");
    }

    [Fact]
    public void Bootstrap_HistoryShorterThanLookbackAndHorizon_SaysHowMuchIsNeeded()
    {
        using var registry = new TestRegistry();

        var error = Assert.Throws<InsufficientHistoryException>(() => BootstrapModel.TrainAndRegister(SimulatedOrders(days: 2, ordersPerHour: 50), registry.Root, FeatureSchema.Default.Hash));

        Assert.Contains("needs at least 239", error.Message, StringComparison.Ordinal);
        Assert.Empty(registry.Registry.Versions());
    }

    private static IEnumerable<OrderEvent> SimulatedOrders(int days, double ordersPerHour)
    {
        var options = new SimulatorOptions
        {
            Seed = 7, SkuCount = 300, TimeCompression = 3600, MeanOrdersPerSecond = ordersPerHour, MalformedShare = 0, DuplicateShare = 0,
        };
        return new OrderSimulator(options).Generate(TimeSpan.FromSeconds(24 * days))
            .Where(e => e.Kind == SimulatedEventKind.Valid)
            .Select(e => JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!);
    }
}

public sealed class BootstrapModelAccuracyTests
{
    [Fact]
    public void Bootstrap_FollowsTheDailyCycle_AndItsIntervalsCoverTheActuals()
    {
        using var registry = new TestRegistry();
        // Twelve days hourly: ten to train on, then forecasts from the morning of the eleventh.
        var options = new SimulatorOptions
        {
            Seed = 11, TimeCompression = 3600, MeanOrdersPerSecond = 300, MalformedShare = 0, DuplicateShare = 0, AnomaliesPerSimulatedDay = 0,
            SimulatedStart = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero),
        };
        var all = new Forecasting.Data.DemandSeriesBuilder(TimeSpan.FromHours(1));
        var train = new Forecasting.Data.DemandSeriesBuilder(TimeSpan.FromHours(1));
        var trainEnd = options.SimulatedStart.AddDays(10).AddHours(8);
        var simulator = new OrderSimulator(options);
        foreach (var e in simulator.Generate(TimeSpan.FromSeconds(24 * 12)))
        {
            if (e.Order is not { } order) continue;
            Forecasting.Data.OrderDemand.Add(all, [order]);
            if (order.OccurredAt < trainEnd) Forecasting.Data.OrderDemand.Add(train, [order]);
        }

        var registered = BootstrapModel.TrainAndRegister(train, registry.Root, FeatureSchema.Default.Hash);
        using var forecaster = registered.CreateForecaster();
        var series = all.Build(50);
        var origin = (int)((trainEnd - options.SimulatedStart).TotalHours);
        var windows = series.Select(s => new Forecasting.TimeSeries(s.Id, s.Start, s.Step, s.Values[(origin - 168)..origin])).ToList();
        var forecasts = forecaster.Forecast(windows);

        // From 08:00: 13:00 is step 5 (the busiest hour), 19:00 step 11 (quiet).
        var busy = forecasts.Sum(f => f.P50[5]);
        var quiet = forecasts.Sum(f => f.P50[11]);
        var covered = 0;
        var total = 0;
        // The bootstrap model has no promotion input: a SKU whose promotion starts or ends around the forecast is beyond
        // what it can know (docs/inference.md), so coverage is measured on the others.
        var promoted = simulator.Promotions.Where(p => p.Start < trainEnd.AddHours(24) && p.End > trainEnd.AddHours(-168)).Select(p => p.Sku).ToHashSet();
        for (var i = 0; i < series.Count; i++)
        {
            if (promoted.Contains(series[i].Id))
            {
                continue;
            }

            for (var h = 0; h < 24; h++)
            {
                var actual = series[i].Values[origin + h];
                total++;
                if (actual >= forecasts[i].P10[h] - 1e-9 && actual <= forecasts[i].P90[h] + 1e-9) covered++;
            }
        }

        Assert.True(quiet < 0.3 * busy, $"P50 at 19:00 sums to {quiet:F0}, at 13:00 to {busy:F0}: the daily cycle is lost");
        Assert.True(total >= 24 * 30, $"only {total / 24} SKUs without a promotion around the forecast");
        // Measured 0.58 (seed 11): the intervals are too narrow below (about a third of the actuals fall under P10, mostly
        // zero hours of intermittent SKUs). The bound guards against losing the intervals; calibrating them is still to do.
        Assert.InRange((double)covered / total, 0.55, 0.95);
    }
}
