namespace Platform.Forecasting.Anomaly;

/// <summary>
/// A seasonal shape learnt once from the total of many series (all SKUs of a shop) and shared by each series'
/// <see cref="StreamingSeriesDetector"/>, which then only learns its own level and noise. The total is smooth and
/// rarely anomalous, so its hour-of-day and day-of-week factors are sound after one long season, whereas a single
/// SKU's factors learnt from one week keep that week's promotion or outage for weeks and turn it into false flags.
/// Feed it the total of step t after every series has observed step t, so no detector sees the future.
/// Non-negative totals only: a total with a negative value in the warm-up gives factor 1 everywhere.
/// </summary>
public sealed class SharedSeasonalShape
{
    private const double RatioMemory = 3;
    private const double RatioLimit = 2;

    // One hour moves the ratio by at most this factor's worth: enough to follow a day that runs 20 % off its
    // weekday, too little for an hour-long outage to depress every expectation for hours after it ends.
    private const double StepLimit = 1.25;

    private readonly StreamingSeriesDetector _total;
    private double _ratio = 1;

    public SharedSeasonalShape(SeriesDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _total = new StreamingSeriesDetector(options);
    }

    private SharedSeasonalShape(StreamingSeriesDetector total, double ratio)
    {
        _total = total;
        _ratio = ratio;
    }

    /// <summary>Rebuilds a shape from <see cref="Snapshot"/>; the options must be the ones it was taken with.</summary>
    public static SharedSeasonalShape Restore(SeriesDetectorOptions options, SharedSeasonalShapeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!double.IsFinite(state.RecentRatio) || state.RecentRatio <= 0) throw new ArgumentException("The recent ratio must be positive.", nameof(state));
        return new SharedSeasonalShape(StreamingSeriesDetector.Restore(options, state.Total), state.RecentRatio);
    }

    /// <summary>How the last few totals compare with what the shape expected (EW over about three steps, within ×½ … ×2).</summary>
    public double RecentRatio => _ratio;

    public SeriesDetectorOptions Options => _total.Options;

    /// <summary>True once the total's warm-up is over; series detectors wait for it before they fit.</summary>
    public bool IsReady => _total.IsWarmedUp;

    /// <summary>Position of the next total.</summary>
    public long Position => _total.Position;

    /// <summary>Absorbs the total of the next step (NaN for a step with no data).</summary>
    public void Observe(double total)
    {
        var point = _total.Observe(total);
        if (point.IsScored && point.Expected > 0)
        {
            var ratio = Math.Clamp(total / point.Expected, _ratio / StepLimit, _ratio * StepLimit);
            _ratio = Math.Clamp(_ratio + (ratio - _ratio) / RatioMemory, 1 / RatioLimit, RatioLimit);
        }
    }

    /// <summary>
    /// Seasonal factor of <paramref name="position"/>: the mean-one slot × block factor learnt so far, times
    /// <see cref="RecentRatio"/>, so a day that runs 20 % below its usual weekday (a holiday, one week's factor
    /// learnt from a week with outages) lowers every series' expectation after a few hours instead of turning
    /// into a spike or drop on every best-seller. 1 before <see cref="IsReady"/>.
    /// </summary>
    public double FactorAt(long position) => _total.ShapeAt(position) * _ratio;

    /// <summary>A deep copy of the state, safe to serialize while the shape goes on.</summary>
    public SharedSeasonalShapeState Snapshot() => new(_total.Snapshot(), _ratio);
}
