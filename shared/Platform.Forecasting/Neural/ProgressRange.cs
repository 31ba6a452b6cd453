namespace Platform.Forecasting.Neural;

/// <summary>Maps a stage's progress in [0, 1] onto [<paramref name="from"/>, <paramref name="to"/>] of the caller's progress.</summary>
internal sealed class ProgressRange(IProgress<double>? outer, double from, double to) : IProgress<double>
{
    public void Report(double value) => outer?.Report(from + (to - from) * Math.Clamp(value, 0.0, 1.0));
}
