namespace Platform.Forecasting;

/// <summary>
/// One regular series: <see cref="Values"/>[i] is the value of the period starting at
/// <see cref="Start"/> + i × <see cref="Step"/>. Readers turn raw rows into this shape (sorted, gaps filled or
/// reported, duplicates resolved), so every model and metric can assume a clean, evenly spaced series.
/// </summary>
public sealed class TimeSeries
{
    public TimeSeries(string id, DateTime start, TimeSpan step, double[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(values);
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "A series' step must be positive.");
        }

        Id = id;
        Start = DateTime.SpecifyKind(start, DateTimeKind.Utc);
        Step = step;
        Values = values;
    }

    public string Id { get; }

    /// <summary>Start of the first period, UTC.</summary>
    public DateTime Start { get; }

    public TimeSpan Step { get; }

    public double[] Values { get; }

    public int Length => Values.Length;

    public DateTime TimestampAt(int index) => Start + index * Step;

    /// <summary>The first <paramref name="length"/> points, sharing no storage with this series.</summary>
    public TimeSeries Head(int length) => new(Id, Start, Step, Values.AsSpan(0, length).ToArray());
}
