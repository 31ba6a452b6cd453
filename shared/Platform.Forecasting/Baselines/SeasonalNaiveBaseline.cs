namespace Platform.Forecasting.Baselines;

/// <summary>
/// Seasonal naive: a future period equals the same period one season earlier (yesterday's same hour, last week's
/// same weekday), repeated for horizons longer than a season. With less than one full season of history, or a
/// season length of 1, it is the naive forecast.
/// </summary>
public sealed class SeasonalNaiveBaseline : LocalBaseline
{
    public const string ModelName = "seasonal_naive";

    public override string Name => ModelName;

    protected override int RollingForecasts(ReadOnlySpan<double> history, int seasonLength, int horizon, int rowStart, Span<double> rows)
    {
        if (seasonLength <= 1 || history.Length < seasonLength)
        {
            return NaiveBaseline.FillRows(history, horizon, rowStart, rows);
        }

        for (var t = rowStart; t < history.Length; t++)
        {
            var row = rows.Slice((t - rowStart) * horizon, horizon);
            for (var h = 1; h <= horizon; h++)
            {
                // The latest observed period in the same phase of the season as t + h.
                var source = t + h - seasonLength * ((h + seasonLength - 1) / seasonLength);
                row[h - 1] = source >= 0 ? history[source] : history[t];
            }
        }

        // From origin season − 1 on, every step has a same-phase period to copy.
        return seasonLength - 1;
    }
}
