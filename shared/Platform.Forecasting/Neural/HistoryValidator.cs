namespace Platform.Forecasting.Neural;

/// <summary>Input checks shared by training and forecasting, each failure naming the series and the reason.</summary>
internal static class HistoryValidator
{
    public static void Check(IReadOnlyList<TimeSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        TimeSpan? step = null;
        foreach (var s in series)
        {
            if (s is null)
            {
                throw new ArgumentException("The series list contains a null entry.", nameof(series));
            }

            if (s.Length == 0)
            {
                throw new ArgumentException($"Series '{s.Id}' has no values.", nameof(series));
            }

            var values = s.Values;
            for (var i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    throw new ArgumentException($"Series '{s.Id}' has a non-finite value ({values[i]}) at index {i} ({s.TimestampAt(i):O}).", nameof(series));
                }
            }

            step ??= s.Step;
            if (s.Step != step)
            {
                throw new ArgumentException($"Series '{s.Id}' has step {s.Step} but earlier series have {step}; one global model needs one step.", nameof(series));
            }
        }
    }
}
