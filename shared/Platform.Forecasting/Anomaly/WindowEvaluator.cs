namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Scores flags against labelled windows, the way the Numenta Anomaly Benchmark scores windows, simplified:
/// <list type="bullet">
/// <item>A window covers its target (or every target when it has none) from its start to its end plus
/// <see cref="Tolerance"/>. A flag overlaps a window when the flag's period and that span intersect.</item>
/// <item>A flag overlapping a window of the kinds under evaluation is true, eligible window or not. A flag
/// overlapping none of them but an excusing window (another kind of anomaly, a known event such as a
/// promotion) is excused: neither true nor false. Any other flag is false.</item>
/// <item>Precision = true flags / (true + false flags).</item>
/// <item>Recall = eligible windows with at least one flag / eligible windows; the caller's eligibility rule says
/// which windows a detector can be asked to find, and is reported with the figures.</item>
/// <item>F1 = 2PR / (P + R).</item>
/// </list>
/// Detectors raise one flag per incident, so finding a long anomaly early costs no precision and repeats add no credit.
/// </summary>
public sealed class WindowEvaluator(TimeSpan tolerance)
{
    public TimeSpan Tolerance { get; } = tolerance >= TimeSpan.Zero ? tolerance : throw new ArgumentOutOfRangeException(nameof(tolerance), "The tolerance must not be negative.");

    /// <param name="flags">The flags raised (one per incident).</param>
    /// <param name="windows">Labelled windows of the kinds under evaluation.</param>
    /// <param name="eligible">Which of <paramref name="windows"/> count towards recall.</param>
    /// <param name="excuses">Windows that excuse a flag without crediting it.</param>
    /// <param name="kinds">Kinds to report recall for, in this order.</param>
    public WindowEvaluation Evaluate(IEnumerable<DetectionFlag> flags, IReadOnlyList<LabelledWindow> windows,
        Func<LabelledWindow, bool> eligible, IReadOnlyList<LabelledWindow> excuses, IReadOnlyList<string> kinds)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(eligible);
        ArgumentNullException.ThrowIfNull(excuses);
        ArgumentNullException.ThrowIfNull(kinds);
        var targets = new WindowIndex(windows);
        var excusing = new WindowIndex(excuses);
        var detected = new HashSet<LabelledWindow>(ReferenceEqualityComparer.Instance);
        var falseFlags = new List<DetectionFlag>();
        int judged = 0, trueFlags = 0, excused = 0;
        foreach (var flag in flags)
        {
            var hit = false;
            foreach (var w in targets.For(flag.Target))
            {
                if (!Overlaps(flag, w)) continue;
                hit = true;
                detected.Add(w);
            }

            if (hit)
            {
                judged++;
                trueFlags++;
            }
            else if (excusing.For(flag.Target).Any(w => Overlaps(flag, w)))
            {
                excused++;
            }
            else
            {
                judged++;
                falseFlags.Add(flag);
            }
        }

        var byKind = kinds.Select(kind =>
        {
            var ofKind = windows.Where(w => w.Kind == kind).ToArray();
            var scored = ofKind.Where(eligible).ToArray();
            return new KindRecall(kind, scored.Length, scored.Count(detected.Contains), ofKind.Length - scored.Length);
        }).ToArray();
        var missed = windows.Where(w => kinds.Contains(w.Kind) && eligible(w) && !detected.Contains(w)).ToArray();
        return new WindowEvaluation(judged, trueFlags, excused, byKind, falseFlags, missed);
    }

    /// <summary>Series flags cover [Start, End); order flags are instants (Start = End).</summary>
    private bool Overlaps(DetectionFlag flag, LabelledWindow window)
    {
        var spanEnd = window.End + Tolerance;
        return flag.Start == flag.End
            ? flag.Start >= window.Start && flag.Start <= spanEnd
            : flag.End > window.Start && flag.Start <= spanEnd;
    }

    private sealed class WindowIndex(IReadOnlyList<LabelledWindow> windows)
    {
        private readonly ILookup<string, LabelledWindow> _byTarget = windows.Where(w => w.Target is not null).ToLookup(w => w.Target!, StringComparer.Ordinal);
        private readonly LabelledWindow[] _everyTarget = windows.Where(w => w.Target is null).ToArray();

        public IEnumerable<LabelledWindow> For(string target) => _byTarget[target].Concat(_everyTarget);
    }
}
