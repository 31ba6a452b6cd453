namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Runs one <see cref="StreamingSeriesDetector"/> per series over a set of aligned series, time step by time step,
/// with a <see cref="SharedSeasonalShape"/> learnt from their total (or each with its own seasons). Every series
/// observes step t before the shape absorbs the total of step t, so nothing looks ahead.
/// </summary>
public static class DemandDetectionRun
{
    /// <param name="series">Series on one grid: same step; starts may differ by whole steps.</param>
    /// <param name="knownEvents">Per series (same order), per point: a known driver is active (or null for none).</param>
    /// <param name="sharedShape">Learn the seasonal shape from the total of all series (true) or per series.</param>
    /// <param name="onPoint">Called for every point, in time order within each series.</param>
    public static void Run(IReadOnlyList<TimeSeries> series, IReadOnlyList<bool[]?>? knownEvents, SeriesDetectorOptions options,
        bool sharedShape, Action<int, SeriesPointScore> onPoint)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onPoint);
        if (series.Count == 0) return;
        var step = series[0].Step;
        if (series.Any(s => s.Step != step)) throw new ArgumentException("All series must have the same step.", nameof(series));
        var origin = series.Min(s => s.Start);
        var offsets = series.Select(s => (s.Start - origin).Ticks % step.Ticks == 0
            ? (s.Start - origin).Ticks / step.Ticks
            : throw new ArgumentException($"Series '{s.Id}' does not start on the common grid of step {step}.", nameof(series))).ToArray();
        var length = series.Select((s, i) => offsets[i] + s.Length).Max();
        var shape = sharedShape ? new SharedSeasonalShape(options) : null;
        var detectors = series.Select((s, i) =>
        {
            var detector = new StreamingSeriesDetector(options, shape);
            // Positions are global, so every series' slots line up with the shared shape's.
            detector.Skip(offsets[i]);
            return detector;
        }).ToArray();

        for (long t = 0; t < length; t++)
        {
            double total = 0;
            var any = false;
            for (var i = 0; i < series.Count; i++)
            {
                var at = t - offsets[i];
                if (at < 0 || at >= series[i].Length) continue;
                var value = series[i].Values[at];
                var known = knownEvents?[i] is { } mask && mask[at];
                onPoint(i, detectors[i].Observe(value, known));
                if (!double.IsFinite(value)) continue;
                total += value;
                any = true;
            }

            shape?.Observe(any ? total : double.NaN);
        }
    }
}
