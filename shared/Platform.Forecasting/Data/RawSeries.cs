namespace Platform.Forecasting.Data;

/// <summary>
/// The rows of one series as read, in file order: two growing arrays rather than an object per row, so that
/// memory is about 16 bytes per row whatever the file holds.
/// </summary>
internal sealed class RawSeries
{
    private long[] _ticks = new long[16];
    private double[] _values = new double[16];

    public RawSeries(string id) => Id = id;

    public string Id { get; }

    public int Count { get; private set; }

    public Span<long> Ticks => _ticks.AsSpan(0, Count);

    public Span<double> Values => _values.AsSpan(0, Count);

    public void Add(long ticks, double value)
    {
        if (Count == _ticks.Length)
        {
            Array.Resize(ref _ticks, _ticks.Length * 2);
            Array.Resize(ref _values, _values.Length * 2);
        }

        _ticks[Count] = ticks;
        _values[Count] = value;
        Count++;
    }

    /// <summary>Frees the rows once the regular series has been built.</summary>
    public void Release()
    {
        _ticks = [];
        _values = [];
        Count = 0;
    }
}
