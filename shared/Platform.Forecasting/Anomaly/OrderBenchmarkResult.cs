namespace Platform.Forecasting.Anomaly;

/// <summary>The orders part of <see cref="AnomalyBenchmark"/>: scores and every risk incident raised.</summary>
public sealed record OrderBenchmarkResult(WindowEvaluation Evaluation, IReadOnlyList<DetectionFlag> Flags);
