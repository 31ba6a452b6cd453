namespace Platform.Forecasting.Anomaly;

/// <summary>
/// The series part of <see cref="AnomalyBenchmark"/>: scores, every flag raised, and each spike or drop window
/// with the reason it was left out of recall (null when it counts).
/// </summary>
public sealed record SeriesBenchmarkResult(WindowEvaluation Evaluation, IReadOnlyList<DetectionFlag> Flags, IReadOnlyList<WindowEligibility> Windows)
{
    /// <summary>Why windows were left out of recall, with counts.</summary>
    public IReadOnlyDictionary<string, int> IneligibleReasons =>
        Windows.Where(w => w.IneligibleBecause is not null).GroupBy(w => w.IneligibleBecause!).ToDictionary(g => g.Key, g => g.Count());
}
