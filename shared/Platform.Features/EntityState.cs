namespace Platform.Features;

/// <summary>Totals of one entity in one UTC hour. Only hours with events exist.</summary>
internal struct HourBucket
{
    public int Hour;
    public long Net;
    public int SaleLines;
    public int CancelLines;
    public long CancelUnits;
    public int PromoLines;

    /// <summary>Sum of sale unit prices in units of 0.0001: integer, so sums do not depend on the order of lines.</summary>
    public long PriceSum;
}

/// <summary>One applied line not yet folded into its bucket (its event time is after the watermark).</summary>
internal struct PendingLine
{
    public long Ticks;
    public ulong Customer;
    public int Quantity;
    public bool HasCustomer;
    public bool Promotion;

    /// <summary>Unit price in units of 0.0001 (see <see cref="HourBucket.PriceSum"/>).</summary>
    public long UnitPrice;
}

/// <summary>
/// The state of one entity. Lines after the watermark wait as raw <see cref="PendingLine"/>s, sorted by time; once
/// the watermark passes them they are final and fold into sparse hour buckets, and every hour before the watermark's
/// hour is fed to the EWMA. A vector as of t (t at or after the last fold) reads the buckets plus the pending lines
/// up to t, so it depends only on the set of lines up to t, not on their arrival order or on when folds happened.
/// </summary>
internal sealed partial class EntityState
{
    public const long NoTicks = long.MinValue;

    /// <summary>Scale of the fixed-point prices: 0.0001, a hundredth of a cent, ample for shop prices.</summary>
    public const decimal PriceScale = 10_000m;

    // Distinct customers per last-seen hour, in a ring indexed by hour: a 24-hour count reads 24 slots instead of
    // walking every remembered customer. Remembered last-seen hours span at most 24 hours (see Fold), so 32 slots never alias.
    private const int HourRing = 32;

    private HourBucket[] _buckets = new HourBucket[4];
    private int _bucketCount;
    private PendingLine[] _pending = new PendingLine[4];
    private int _pendingHead;
    private int _pendingEnd;
    private Dictionary<ulong, int>? _customers;
    private int[]? _customersPerHour;
    private int[]? _customerRingHour;
    private Ewma _ewma = new() { NextHour = int.MinValue };

    public EntityState(string key)
    {
        Key = key;
    }

    public string Key { get; }

    /// <summary>Set when a line is applied; cleared when the aggregator drains it.</summary>
    public bool Changed { get; set; }

    /// <summary>Latest event time applied, folded or not.</summary>
    public long LatestTicks { get; private set; } = NoTicks;

    /// <summary>The watermark of the last fold: every line at or before it is in the buckets.</summary>
    public long FoldedThrough { get; private set; } = NoTicks;

    public int BucketCount => _bucketCount;

    public int PendingCount => _pendingEnd - _pendingHead;

    public int CustomerCount => _customers?.Count ?? 0;

    private long FoldedMaxTicks { get; set; } = NoTicks;

    private int FoldedHour { get; set; } = int.MinValue;

    public static int HourOf(long ticks) => (int)(ticks / TimeSpan.TicksPerHour);

    public void Add(in PendingLine line)
    {
        if (line.Ticks > LatestTicks) LatestTicks = line.Ticks;
        if (_pendingEnd == _pending.Length)
        {
            if (_pendingHead > 0)
            {
                Array.Copy(_pending, _pendingHead, _pending, 0, _pendingEnd - _pendingHead);
                _pendingEnd -= _pendingHead;
                _pendingHead = 0;
            }

            if (_pendingEnd == _pending.Length) Array.Resize(ref _pending, _pending.Length * 2);
        }

        // Lines arrive nearly in time order, so the insertion point is found by walking back from the end.
        // Ties are ordered by customer so that the folding order, and with it the customer cap, is canonical.
        var at = _pendingEnd;
        while (at > _pendingHead && Before(line, _pending[at - 1]))
        {
            at--;
        }

        if (at < _pendingEnd) Array.Copy(_pending, at, _pending, at + 1, _pendingEnd - at);
        _pending[at] = line;
        _pendingEnd++;
    }

    /// <summary>Folds the lines at or before <paramref name="watermark"/>, closes hours for the EWMA and prunes.</summary>
    public void Fold(long watermark, FeatureOptions options)
    {
        if (watermark <= FoldedThrough) return;
        FoldedThrough = watermark;
        var hour = HourOf(watermark);
        var newHour = hour != FoldedHour;

        // Customers last seen before hour - 23 never count again. They go before the fold, and the fold does not add
        // such, so the remembered last-seen hours always span at most 24 hours (what the hour ring relies on).
        var customerFrom = hour - 23;
        if (newHour && _customers is { Count: > 0 })
        {
            foreach (var (customer, lastHour) in _customers)
            {
                if (lastHour < customerFrom)
                {
                    _customers.Remove(customer);
                    _customersPerHour![RingSlot(lastHour)]--;
                }
            }
        }

        while (_pendingHead < _pendingEnd && _pending[_pendingHead].Ticks <= watermark)
        {
            FoldLine(_pending[_pendingHead], options.DistinctCustomerCap, customerFrom);
            _pendingHead++;
        }

        if (_pendingHead == _pendingEnd) _pendingHead = _pendingEnd = 0;
        if (!newHour) return;
        FoldedHour = hour;

        // Every hour before the watermark's hour is complete: its lines are all at or before the watermark.
        CloseHours(ref _ewma, hour, options, includePending: false, long.MaxValue);

        // A vector is never asked for before the watermark, so older hours can go (after the EWMA used them).
        var keepFrom = hour - FeatureSchema.RetainedHours + 1;
        var drop = 0;
        while (drop < _bucketCount && _buckets[drop].Hour < keepFrom) drop++;
        if (drop > 0)
        {
            Array.Copy(_buckets, drop, _buckets, 0, _bucketCount - drop);
            _bucketCount -= drop;
        }
    }

    public DateTimeOffset? LastEventAt(long asOf)
    {
        var latest = FoldedMaxTicks;
        for (var i = _pendingEnd - 1; i >= _pendingHead; i--)
        {
            if (_pending[i].Ticks <= asOf)
            {
                latest = Math.Max(latest, _pending[i].Ticks);
                break;
            }
        }

        return latest == NoTicks ? null : new DateTimeOffset(latest, TimeSpan.Zero);
    }

    /// <summary>Writes the values as of <paramref name="asOf"/> (ticks, UTC; not before <see cref="FoldedThrough"/>).</summary>
    public void Compute(long asOf, FeatureSchema schema, Span<double> values, HashSet<ulong> scratch)
    {
        var h0 = HourOf(asOf);
        var window = new Window(h0);
        for (var i = _bucketCount - 1; i >= 0; i--)
        {
            ref readonly var b = ref _buckets[i];
            if (b.Hour > h0) continue;
            if (b.Hour <= h0 - FeatureSchema.RetainedHours) break;
            window.Add(b.Hour, b.Net, b.SaleLines, b.CancelLines, b.CancelUnits, b.PromoLines, b.PriceSum);
        }

        scratch.Clear();
        var distinct = 0;
        if (_customersPerHour is not null)
        {
            for (var hour = h0 - 23; hour <= h0; hour++)
            {
                var slot = RingSlot(hour);
                if (_customerRingHour![slot] == hour) distinct += _customersPerHour[slot];
            }
        }

        for (var i = _pendingHead; i < _pendingEnd; i++)
        {
            ref readonly var p = ref _pending[i];
            if (p.Ticks > asOf) break;
            var hour = HourOf(p.Ticks);
            if (p.Quantity >= 0)
            {
                window.Add(hour, p.Quantity, 1, 0, 0, p.Promotion ? 1 : 0, p.UnitPrice);
                if (p.HasCustomer && hour > h0 - 24 && !SeenSince(p.Customer, h0 - 23) && scratch.Add(p.Customer)) distinct++;
            }
            else
            {
                window.Add(hour, p.Quantity, 0, 1, -(long)p.Quantity, 0, 0);
            }
        }

        var options = schema.Options;
        var ewma = _ewma;
        CloseHours(ref ewma, h0, options, includePending: true, asOf);

        values[FeatureSchema.Qty1H] = window.Qty1H;
        values[FeatureSchema.Qty24H] = window.Qty24H;
        values[FeatureSchema.Qty7D] = window.Qty7D;
        values[FeatureSchema.Lines1H] = window.Lines1H;
        values[FeatureSchema.Lines24H] = window.Lines24H;
        values[FeatureSchema.LagHour1] = window.LagHour1;
        values[FeatureSchema.LagHour24] = window.LagHour24;
        values[FeatureSchema.LagHour168] = window.LagHour168;
        values[FeatureSchema.LagDay1] = window.LagDay1;
        values[FeatureSchema.LagDay7] = window.LagDay7;
        values[FeatureSchema.EwmaMean] = ewma.Started ? ewma.Mean : 0;
        values[FeatureSchema.EwmaVariance] = ewma.Started ? ewma.Variance : 0;
        values[FeatureSchema.DistinctCustomers24H] = Math.Min(distinct, options.DistinctCustomerCap);
        values[FeatureSchema.CancelLines24H] = window.CancelLines24H;
        values[FeatureSchema.CancelUnits24H] = window.CancelUnits24H;
        var price24 = window.Lines24H > 0 ? (double)window.PriceSum24H / window.Lines24H / (double)PriceScale : double.NaN;
        var price7 = window.Lines7D > 0 ? (double)window.PriceSum7D / window.Lines7D / (double)PriceScale : double.NaN;
        values[FeatureSchema.AvgPrice24H] = price24;
        values[FeatureSchema.AvgPrice7D] = price7;
        values[FeatureSchema.PriceChange24HVs7D] = price24 / price7 - 1;
        values[FeatureSchema.PromoAny24H] = window.PromoLines24H > 0 ? 1 : 0;
        values[FeatureSchema.PromoShare24H] = window.Lines24H > 0 ? (double)window.PromoLines24H / window.Lines24H : 0;
        WriteCalendar(asOf, schema, values);
    }

    /// <summary>
    /// Sale units, sale lines and promoted sale lines per hour for the hours <paramref name="endHour"/> − N …
    /// <paramref name="endHour"/> − 1 (N = the spans' length), from the buckets and the lines not yet folded.
    /// <paramref name="endHour"/> must not be after the watermark's hour, so every hour read is final.
    /// </summary>
    public void WriteHourlyDemand(int endHour, Span<int> units, Span<int> lines, Span<int> promoLines)
    {
        units.Clear();
        lines.Clear();
        promoLines.Clear();
        var startHour = endHour - units.Length;
        for (var i = 0; i < _bucketCount; i++)
        {
            ref readonly var b = ref _buckets[i];
            if (b.Hour < startHour) continue;
            if (b.Hour >= endHour) break;
            var at = b.Hour - startHour;
            // Net + cancelled units = the units of the sale lines alone.
            units[at] = SaturatingInt(b.Net + b.CancelUnits);
            lines[at] = b.SaleLines;
            promoLines[at] = b.PromoLines;
        }

        // Lines before the watermark that this entity has not folded yet (it folds lazily, when it gets a new line).
        for (var i = _pendingHead; i < _pendingEnd; i++)
        {
            ref readonly var p = ref _pending[i];
            var hour = HourOf(p.Ticks);
            if (hour >= endHour) break;
            if (hour < startHour || p.Quantity < 0) continue;
            var at = hour - startHour;
            units[at] = SaturatingInt((long)units[at] + p.Quantity);
            lines[at]++;
            if (p.Promotion) promoLines[at]++;
        }
    }

    private static int SaturatingInt(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);

    public static void WriteCalendar(long asOf, FeatureSchema schema, Span<double> values)
    {
        var utc = new DateTime(asOf, DateTimeKind.Utc);
        values[FeatureSchema.HourOfDay] = utc.Hour;
        values[FeatureSchema.DayOfWeek] = ((int)utc.DayOfWeek + 6) % 7;
        values[FeatureSchema.IsHoliday] = schema.Holidays.IsHoliday(utc) ? 1 : 0;
    }

    /// <summary>
    /// Feeds the EWMA every hour from its next hour up to, not including, <paramref name="untilHour"/>: the buckets,
    /// plus (for a vector) the pending lines up to <paramref name="asOf"/>, merged by hour.
    /// </summary>
    private void CloseHours(ref Ewma ewma, int untilHour, FeatureOptions options, bool includePending, long asOf)
    {
        var alpha = options.EwmaAlpha;
        var maxEmpty = options.MaxEmptyHoursReplayed;
        var b = FirstBucketAtOrAfter(ewma.NextHour);
        var p = _pendingHead;
        var pendingEnd = includePending ? _pendingEnd : _pendingHead;
        while (true)
        {
            var bucketHour = b < _bucketCount ? _buckets[b].Hour : int.MaxValue;
            var pendingHour = p < pendingEnd && _pending[p].Ticks <= asOf ? HourOf(_pending[p].Ticks) : int.MaxValue;
            var hour = Math.Min(bucketHour, pendingHour);
            if (hour >= untilHour) break;
            long demand = 0;
            if (bucketHour == hour) demand += _buckets[b++].Net;
            while (p < pendingEnd && _pending[p].Ticks <= asOf && HourOf(_pending[p].Ticks) == hour)
            {
                demand += _pending[p++].Quantity;
            }

            ewma.Observe(hour, demand, alpha, maxEmpty);
        }

        ewma.SkipTo(untilHour, alpha, maxEmpty);
    }

    private int FirstBucketAtOrAfter(int hour)
    {
        var i = _bucketCount;
        while (i > 0 && _buckets[i - 1].Hour >= hour) i--;
        return i;
    }

    private void FoldLine(in PendingLine line, int customerCap, int customerFrom)
    {
        if (line.Ticks > FoldedMaxTicks) FoldedMaxTicks = line.Ticks;
        var hour = HourOf(line.Ticks);
        ref var bucket = ref BucketFor(hour);
        bucket.Net += line.Quantity;
        if (line.Quantity >= 0)
        {
            bucket.SaleLines++;
            bucket.PriceSum += line.UnitPrice;
            if (line.Promotion) bucket.PromoLines++;
            if (line.HasCustomer && hour >= customerFrom)
            {
                _customers ??= [];
                if (_customers.TryGetValue(line.Customer, out var lastHour))
                {
                    if (hour > lastHour)
                    {
                        _customers[line.Customer] = hour;
                        _customersPerHour![RingSlot(lastHour)]--;
                        CountCustomerAt(hour);
                    }
                }
                else if (_customers.Count < customerCap)
                {
                    _customers[line.Customer] = hour;
                    CountCustomerAt(hour);
                }
            }
        }
        else
        {
            bucket.CancelLines++;
            bucket.CancelUnits -= line.Quantity;
        }
    }

    private static int RingSlot(int hour) => hour & (HourRing - 1);

    private bool SeenSince(ulong customer, int hour) =>
        _customers is not null && _customers.TryGetValue(customer, out var lastHour) && lastHour >= hour;

    private void CountCustomerAt(int hour)
    {
        _customersPerHour ??= new int[HourRing];
        _customerRingHour ??= new int[HourRing];
        var slot = RingSlot(hour);
        if (_customerRingHour[slot] != hour)
        {
            // Folded lines are at most 24 hours apart from the kept ones, so a reused slot holds no live customers.
            _customerRingHour[slot] = hour;
            _customersPerHour[slot] = 0;
        }

        _customersPerHour[slot]++;
    }

    private ref HourBucket BucketFor(int hour)
    {
        var at = _bucketCount;
        while (at > 0 && _buckets[at - 1].Hour > hour) at--;
        if (at > 0 && _buckets[at - 1].Hour == hour) return ref _buckets[at - 1];
        if (_bucketCount == _buckets.Length) Array.Resize(ref _buckets, _buckets.Length * 2);
        if (at < _bucketCount) Array.Copy(_buckets, at, _buckets, at + 1, _bucketCount - at);
        _buckets[at] = new HourBucket { Hour = hour };
        _bucketCount++;
        return ref _buckets[at];
    }

    private static bool Before(in PendingLine a, in PendingLine b) =>
        a.Ticks < b.Ticks || (a.Ticks == b.Ticks && a.Customer < b.Customer);

    /// <summary>Sums over the windows of one as-of hour h0.</summary>
    private struct Window(int h0)
    {
        private readonly int _h0 = h0;
        private readonly int _day0 = h0 / 24;
        public long Qty1H, Qty24H, Qty7D, LagHour1, LagHour24, LagHour168, LagDay1, LagDay7, CancelUnits24H;
        public int Lines1H, Lines24H, Lines7D, CancelLines24H, PromoLines24H;
        public long PriceSum24H, PriceSum7D;

        public void Add(int hour, long net, int sales, int cancels, long cancelUnits, int promos, long priceSum)
        {
            var back = _h0 - hour;
            if (back == 0)
            {
                Qty1H += net;
                Lines1H += sales;
            }

            if (back < 24)
            {
                Qty24H += net;
                Lines24H += sales;
                CancelLines24H += cancels;
                CancelUnits24H += cancelUnits;
                PromoLines24H += promos;
                PriceSum24H += priceSum;
            }

            if (back < 168)
            {
                Qty7D += net;
                Lines7D += sales;
                PriceSum7D += priceSum;
            }

            if (back == 1) LagHour1 += net;
            else if (back == 24) LagHour24 += net;
            else if (back == 168) LagHour168 += net;

            var day = hour / 24;
            if (day == _day0 - 1) LagDay1 += net;
            else if (day == _day0 - 7) LagDay7 += net;
        }
    }
}
