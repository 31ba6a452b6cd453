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
