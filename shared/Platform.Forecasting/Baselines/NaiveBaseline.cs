namespace Platform.Forecasting.Baselines;

/// <summary>Naive: every future period equals the last observed one. The reference of MASE's non-seasonal scale and the fallback of the other methods.</summary>
public sealed class NaiveBaseline : LocalBaseline
{
    public const string ModelName = "naive";

    public override string Name => ModelName;

    protected override int RollingForecasts(ReadOnlySpan<double> history, int seasonLength, int horizon, int rowStart, Span<double> rows) =>
        FillRows(history, horizon, rowStart, rows);

    internal static int FillRows(ReadOnlySpan<double> history, int horizon, int rowStart, Span<double> rows)
    {
        for (var t = rowStart; t < history.Length; t++)
        {
            rows.Slice((t - rowStart) * horizon, horizon).Fill(history[t]);
        }

        return 0;
    }
}
