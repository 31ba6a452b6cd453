namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Window-level scores of a detector against labelled windows (definitions in <see cref="WindowEvaluator"/>).
/// Precision, recall and F1 are 0 when undefined (no flags, no scored windows), never NaN.
/// </summary>
/// <param name="Flags">Flags that were judged: true plus false (excused flags are not among them).</param>
/// <param name="ExcusedFlags">Flags that fell only in an excusing window (another kind of anomaly, a known event).</param>
public sealed record WindowEvaluation(
    int Flags,
    int TrueFlags,
    int ExcusedFlags,
    IReadOnlyList<KindRecall> ByKind,
    IReadOnlyList<DetectionFlag> FalseFlags,
    IReadOnlyList<LabelledWindow> MissedWindows)
{
    public int FalseFlagCount => Flags - TrueFlags;

    public int ScoredWindows => ByKind.Sum(k => k.Windows);

    public int DetectedWindows => ByKind.Sum(k => k.Detected);

    public double Precision => Flags == 0 ? 0 : (double)TrueFlags / Flags;

    public double Recall => ScoredWindows == 0 ? 0 : (double)DetectedWindows / ScoredWindows;

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}
