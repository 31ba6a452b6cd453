namespace Platform.Forecasting.Anomaly;

/// <summary>
/// What <see cref="AnomalyBenchmark.Run"/> found: the series part, the orders part, the demand series it built
/// (so they can be written out and judged again, for example by <c>platform detect</c>) and the orders it read.
/// </summary>
public sealed record AnomalyBenchmarkReport(SeriesBenchmarkResult Series, OrderBenchmarkResult Orders, IReadOnlyList<DemandSeries> DemandSeries, long PlacedOrders);
