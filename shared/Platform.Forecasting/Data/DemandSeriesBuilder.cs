namespace Platform.Forecasting.Data;

/// <summary>
/// Adds up units sold per SKU and period (an hour, a day) and builds the zero-filled demand series of the most
/// sold SKUs. Memory is one number per SKU and period, whatever the number of order lines.
/// </summary>
/// <remarks>
/// Periods are aligned to UTC midnight (hours and days start where the calendar says). SKUs are ranked by the
/// number of order lines, not units, so that one bulk order of a rarely sold item does not make it a "top" SKU;
/// ties go to more units, then to the SKU code in ordinal order. The builder also remembers in which periods the
/// shop traded at all (<see cref="MarkTrading"/>), to find closures such as a Christmas break.
/// </remarks>
public sealed class DemandSeriesBuilder
{
    private readonly long _stepTicks;
    private readonly Dictionary<string, SkuDemand> _skus = new(StringComparer.Ordinal);
    private readonly HashSet<long> _trading = [];
    private long _first = long.MaxValue;
    private long _last = long.MinValue;

    public DemandSeriesBuilder(TimeSpan step)
    {
        if (step <= TimeSpan.Zero || TimeSpan.TicksPerDay % step.Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must divide a day (an hour, 15 minutes, a day).");
        }

        Step = step;
        _stepTicks = step.Ticks;
    }

    public TimeSpan Step { get; }

    public int SkuCount => _skus.Count;

    /// <summary>Start of the first period with a sale or trading mark; null before any.</summary>
    public DateTime? FirstPeriod => _first == long.MaxValue ? null : PeriodStart(_first);

    /// <summary>Start of the last period with a sale or trading mark; null before any.</summary>
    public DateTime? LastPeriod => _last == long.MinValue ? null : PeriodStart(_last);

    /// <summary>Adds <paramref name="units"/> (≥ 0) of <paramref name="sku"/> sold at <paramref name="at"/>, one order line.</summary>
    public void Add(string sku, DateTimeOffset at, double units)
    {
        ArgumentException.ThrowIfNullOrEmpty(sku);
        if (!(units >= 0) || double.IsInfinity(units))
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "Units must be a finite, non-negative number.");
        }

        var period = MarkTrading(at);
        if (!_skus.TryGetValue(sku, out var demand))
        {
            demand = new SkuDemand();
            _skus.Add(sku, demand);
        }

        demand.Add(period, units);
    }

    /// <summary>Records that the shop traded in the period of <paramref name="at"/> (any order, even one whose lines are not counted). Returns the period.</summary>
    public long MarkTrading(DateTimeOffset at)
    {
        var period = at.UtcTicks / _stepTicks;
        _trading.Add(period);
        _first = Math.Min(_first, period);
        _last = Math.Max(_last, period);
        return period;
    }

    /// <summary>
    /// The first trading period after the last run of at least <paramref name="periods"/> periods without trading
    /// (a closure such as a Christmas break); null when there is no such run. Periods before it are better left out:
    /// a long run of zeros is not demand the models should learn.
    /// </summary>
    public DateTime? StartAfterLastClosure(int periods)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periods, 1);
        if (_trading.Count == 0)
        {
            return null;
        }

        var run = 0;
        for (var p = _last; p >= _first; p--)
        {
            if (_trading.Contains(p))
            {
                run = 0;
                continue;
            }

            if (++run >= periods)
            {
                var next = p + run;
                while (!_trading.Contains(next))
                {
                    next++;
                }

                return PeriodStart(next);
            }
        }

        return null;
    }

    /// <summary>
    /// The series of the <paramref name="top"/> SKUs with the most order lines, each from <paramref name="from"/>
    /// (default: the first period) to the last period, zero where nothing was sold, most sold first.
    /// </summary>
    public IReadOnlyList<TimeSeries> Build(int top, DateTime? from = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (_trading.Count == 0)
        {
            return [];
        }

        var first = from is { } f ? Math.Max(_first, f.ToUniversalTime().Ticks / _stepTicks) : _first;
        if (first > _last)
        {
            return [];
        }

        var length = (int)(_last - first + 1);
        return _skus
            .OrderByDescending(s => s.Value.Lines)
            .ThenByDescending(s => s.Value.Units)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .Take(top)
            .Select(s => new TimeSeries(s.Key, PeriodStart(first), Step, s.Value.Range(first, length)))
            .ToList();
    }

    private DateTime PeriodStart(long period) => new(period * _stepTicks, DateTimeKind.Utc);

    /// <summary>Units per period of one SKU, in an array that grows in both directions as periods arrive.</summary>
    private sealed class SkuDemand
    {
        private double[] _units = new double[64];
        private long _base = long.MinValue;

        public long Lines { get; private set; }

        public double Units { get; private set; }

        public void Add(long period, double units)
        {
            if (_base == long.MinValue)
            {
                _base = period;
            }

            if (period < _base)
            {
                var shift = (int)(_base - period);
                var grown = new double[Math.Max(_units.Length * 2, _units.Length + shift)];
                Array.Copy(_units, 0, grown, shift, _units.Length);
                _units = grown;
                _base = period;
            }

            var at = (int)(period - _base);
            if (at >= _units.Length)
            {
                Array.Resize(ref _units, Math.Max(_units.Length * 2, at + 1));
            }

            _units[at] += units;
            Lines++;
            Units += units;
        }

        public double[] Range(long first, int length)
        {
            var result = new double[length];
            for (var i = 0; i < length; i++)
            {
                var at = first + i - _base;
                if (at >= 0 && at < _units.Length)
                {
                    result[i] = _units[at];
                }
            }

            return result;
        }
    }
}
