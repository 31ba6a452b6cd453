using System.Text.Json;
using Platform.Contracts;
using Platform.Forecasting.Anomaly;
using Platform.Simulator;

namespace Platform.Forecasting.Tests.Anomaly;

public class AnomalyBenchmarkTests
{
    /// <summary>
    /// The figure docs/models.md reports: a seeded simulator run of 14 days (8 of warm-up), 500 orders an hour on
    /// average, 12 labelled anomalies a day, scored at window level. The same run as
    /// <c>./platform detect --simulate-labelled DIR --days 14 --rate 500 --anomalies-per-day 12 --seed 42</c>.
    /// </summary>
    [Fact]
    public void Benchmark_SimulatedRunReachesF1Target()
    {
        var options = new SimulatorOptions { Seed = 42, MeanOrdersPerSecond = 500, AnomaliesPerSimulatedDay = 12 };
        var simulator = new OrderSimulator(options);
        var events = simulator.Generate(TimeSpan.FromSeconds(14 * 24));
        var orders = events.Where(e => e.Kind == SimulatedEventKind.Valid)
            .Select(e => JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!);
        var benchmark = new AnomalyBenchmark(options.SimulatedStart, 14 * 24);

        var report = benchmark.Run(orders, simulator.Anomalies.Select(a => new LabelledWindow(a.Kind, a.Sku ?? a.CustomerId ?? a.Region, a.Start, a.End)).ToArray());

        var series = report.Series.Evaluation;
        Assert.True(series.ScoredWindows >= 15, $"only {series.ScoredWindows} eligible spike/drop windows");
        Assert.True(series.F1 >= 0.8, $"series F1 {series.F1:F3} (P {series.Precision:F3}, R {series.Recall:F3})");
        Assert.All(series.ByKind, k => Assert.True(k.Recall >= 0.7, $"{k.Kind} recall {k.Recall:F3}"));

        var orderRisk = report.Orders.Evaluation;
        Assert.True(orderRisk.ScoredWindows >= 30, $"only {orderRisk.ScoredWindows} eligible price/burst windows");
        Assert.True(orderRisk.F1 >= 0.8, $"orders F1 {orderRisk.F1:F3} (P {orderRisk.Precision:F3}, R {orderRisk.Recall:F3})");
    }
}
