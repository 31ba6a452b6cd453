namespace Platform.Forecasting.Baselines;

/// <summary>
/// Moving average: every future period equals the mean of the last <c>window</c> periods. The window is one
/// full season (so the seasonal cycle averages out and the forecast is the current level), or 7 periods when
/// there is no season; a shorter history uses what there is.
/// </summary>
public sealed class MovingAverageBaseline : LocalBaseline
{
    public const string ModelName = "moving_average";

    /// <summary>Window when the season length is 1.</summary>
    public const int DefaultWindow = 7;

    public override string Name => ModelName;

    public static int Window(int seasonLength) => seasonLength > 1 ? seasonLength : DefaultWindow;

    protected override int RollingForecasts(ReadOnlySpan<double> history, int seasonLength, int horizon, int rowStart, Span<double> rows)
    {
        var window = Window(seasonLength);
        for (var t = rowStart; t < history.Length; t++)
        {
            // Summed afresh at each origin (window × origins additions, no running sum whose rounding could drift).
            var from = Math.Max(0, t - window + 1);
            rows.Slice((t - rowStart) * horizon, horizon).Fill(Mean(history[from..(t + 1)]));
        }

        return Math.Min(window, history.Length) - 1;
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var total = 0.0;
        foreach (var v in values)
        {
            total += v;
        }

        return total / values.Length;
    }
}
