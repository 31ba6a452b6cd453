using System.Text.Json;
using Platform.Contracts;

namespace Platform.Simulator;

/// <summary>
/// The state of one <see cref="OrderSimulator.Generate"/> enumeration. Orders arrive as a non-homogeneous
/// Poisson process whose rate is constant within each simulated hour; cancellations, duplicates and
/// customer bursts wait in a queue ordered by simulated time, so the output is ordered by time.
/// </summary>
internal sealed class SimulationRun
{
    private const long TicksPerHour = TimeSpan.TicksPerHour;

    // Units per line: the Online Retail pack sizes (1, 2, 12, 6, 4, 3, 24 and 10 are 83% of its lines).
    private static readonly int[] QuantityValues = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 25, 30, 36, 48, 50, 72, 96, 100, 144, 200, 288, 500];
    private static readonly double[] QuantityWeights =
        [0.284, 0.154, 0.068, 0.069, 0.021, 0.078, 0.025, 0.043, 0.114, 0.008, 0.009, 0.044, 0.010, 0.004, 0.007, 0.011, 0.003, 0.004, 0.004, 0.004, 0.003, 0.002, 0.001, 0.001];

    private readonly SimulatorOptions _options;
    private readonly Catalog _catalog;
    private readonly IReadOnlyList<InjectedAnomaly> _anomalies;
    private readonly IReadOnlyList<Promotion> _promotions;
    private readonly Prng _rng;
    private readonly Seasonality _seasonality;
    private readonly MalformedEventFactory _malformed;
    private readonly IReadOnlyList<string> _regions;
    private readonly AliasTable _regionTable;
    private readonly AliasTable _channelTable;
    private readonly AliasTable _quantityTable;
    private readonly string[] _customerIds;
    private readonly byte[] _customerRegion;
    private readonly byte[] _customerChannel;
    private readonly Dictionary<string, int> _skuIndex;
    private readonly Dictionary<string, int> _regionIndex;
    private readonly long _startTicks;
    private readonly long _endTicks;
    private readonly double _compression;
    private readonly double _baseRatePerTick;
    private readonly double _malformedPerValid;
    private readonly double _duplicatePerValid;
    private readonly DateTimeOffset _wallStart;

    private readonly decimal[] _price;
    private readonly double[] _demandFactor;
    private readonly double[] _priceFactor;
    private readonly string?[] _promotionId;
    private readonly double[] _regionFactor;
    private readonly List<(int Sku, double ExtraPerLine)> _boosted = [];
    private readonly List<int> _touched = [];
    private readonly List<Promotion> _activePromotions = [];
    private readonly List<InjectedAnomaly> _activeAnomalies = [];
    private int _promotionNext;
    private int _anomalyNext;
    private readonly long[] _seenInOrder;
    private readonly PriorityQueue<Pending, (long Ticks, long Order)> _pending = new();
    private readonly List<SimulatedEvent> _out = [];

    private long _nextEffectChange = long.MinValue;
    private long _rateHour = long.MinValue;
    private double _ratePerTick;
    private double _hazard;
    private long _day = long.MinValue;
    private long _orderSeq;
    private long _eventSeq;
    private long _pendingSeq;

    public SimulationRun(SimulatorOptions options, Catalog catalog, IReadOnlyList<InjectedAnomaly> anomalies,
        IReadOnlyList<Promotion> promotions, TimeSpan realDuration)
    {
        _options = options;
        _catalog = catalog;
        _anomalies = anomalies;
        _promotions = promotions;
        _rng = new Prng(unchecked((ulong)options.Seed * 0x9E3779B97F4A7C15UL + 3));
        _seasonality = new Seasonality(options);
        _compression = options.TimeCompression;
        _startTicks = options.SimulatedStart.UtcTicks;
        _endTicks = _startTicks + (long)(realDuration.Ticks * _compression);
        _wallStart = options.WallClockStart ?? options.SimulatedStart + TimeSpan.FromTicks(_endTicks - _startTicks);
        _baseRatePerTick = options.MeanOrdersPerSecond / _compression / TimeSpan.TicksPerSecond;
        // Per valid event, so that the expected shares of all events are exactly MalformedShare and DuplicateShare.
        var validShare = 1 - options.MalformedShare - options.DuplicateShare;
        _malformedPerValid = options.MalformedShare / validShare;
        _duplicatePerValid = options.DuplicateShare / validShare;

        _regions = Regions.Names(options.RegionCount);
        _regionIndex = _regions.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        _regionTable = new AliasTable(Regions.Weights(options.RegionCount));
        _channelTable = new AliasTable(Regions.ChannelWeights);
        _quantityTable = new AliasTable(QuantityWeights);

        _customerIds = new string[options.CustomerCount];
        _customerRegion = new byte[options.CustomerCount];
        _customerChannel = new byte[options.CustomerCount];
        for (var i = 0; i < options.CustomerCount; i++)
        {
            _customerIds[i] = CustomerIds.Format(i);
            _customerRegion[i] = (byte)Math.Min(255, _regionTable.Sample(_rng));
            _customerChannel[i] = (byte)_channelTable.Sample(_rng);
        }

        _skuIndex = catalog.Items.ToDictionary(x => x.Sku, x => x.Index);
        _price = catalog.Items.Select(x => x.BasePrice).ToArray();
        _demandFactor = Enumerable.Repeat(1.0, catalog.Count).ToArray();
        _priceFactor = Enumerable.Repeat(1.0, catalog.Count).ToArray();
        _promotionId = new string?[catalog.Count];
        _regionFactor = Enumerable.Repeat(1.0, options.RegionCount).ToArray();
        _seenInOrder = new long[catalog.Count];
        _malformed = new MalformedEventFactory(_rng);
        _hazard = _rng.Exponential();
    }

    private abstract record Pending;

    private sealed record PendingCancellation(OrderEvent Original) : Pending;

    private sealed record PendingDuplicate(SimulatedEvent Original) : Pending;

    private sealed record PendingBurstOrder(InjectedAnomaly Anomaly) : Pending;

    public IEnumerable<SimulatedEvent> Run()
    {
        foreach (var burst in _anomalies.Where(a => a.Kind == SimulatedAnomalyKinds.CustomerBurst))
            ScheduleBurst(burst, burst.Start.UtcTicks);

        var t = _startTicks;
        while (true)
        {
            t = NextArrival(t);
            var done = t >= _endTicks;
            var limit = done ? _endTicks : t;
            while (_pending.TryPeek(out var item, out var at) && at.Ticks <= limit)
            {
                _pending.Dequeue();
                Handle(item, at.Ticks);
                foreach (var e in _out) yield return e;
                _out.Clear();
            }

            if (done) yield break;

            UpdateEffects(t);
            var order = NewOrder(t, customer: null, applyOutages: true);
            if (order is null) continue;
            EmitValid(order, t);
            foreach (var e in _out) yield return e;
            _out.Clear();
        }
    }

    /// <summary>Next arrival of the base process: integrates the hourly piecewise-constant rate up to an Exp(1) hazard.</summary>
    private long NextArrival(long t)
    {
        while (t < _endTicks)
        {
            var hour = t / TicksPerHour;
            if (hour != _rateHour)
            {
                _rateHour = hour;
                _ratePerTick = _baseRatePerTick * _seasonality.Factor(new DateTimeOffset(hour * TicksPerHour, TimeSpan.Zero));
            }

            var hourEnd = (hour + 1) * TicksPerHour;
            var capacity = _ratePerTick * (hourEnd - t);
            if (capacity >= _hazard)
            {
                t += (long)(_hazard / _ratePerTick);
                _hazard = _rng.Exponential();
                return t;
            }

            _hazard -= capacity;
            t = hourEnd;
        }

        return _endTicks;
    }

    private void Handle(Pending item, long t)
    {
        UpdateEffects(t);
        switch (item)
        {
            case PendingDuplicate d:
                _out.Add(d.Original with
                {
                    Kind = SimulatedEventKind.Duplicate,
                    RealOffset = RealOffset(t),
                    Sequence = _eventSeq++,
                });
                break;
            case PendingCancellation c:
                EmitValid(NewCancellation(c.Original, t), t);
                break;
            case PendingBurstOrder b:
                var customer = int.Parse(b.Anomaly.CustomerId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) - 1;
                var order = NewOrder(t, customer, applyOutages: false)!;
                EmitValid(order, t);
                ScheduleBurst(b.Anomaly, t);
                break;
        }
    }

    private void ScheduleBurst(InjectedAnomaly burst, long after)
    {
        var gap = _rng.Exponential() * TicksPerHour / burst.Magnitude;
        var at = after + (long)gap;
        if (at < burst.End.UtcTicks && at < _endTicks) Enqueue(new PendingBurstOrder(burst), at);
    }

    private void Enqueue(Pending item, long ticks) => _pending.Enqueue(item, (ticks, _pendingSeq++));

    private TimeSpan RealOffset(long ticks) => TimeSpan.FromTicks((long)((ticks - _startTicks) / _compression));

    private static DateTimeOffset ToTime(long ticks) => new(ticks - ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private void EmitValid(OrderEvent order, long t)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(order, ContractsJsonContext.Default.OrderEvent);
        var e = new SimulatedEvent(RealOffset(t), order.OrderId, payload, SimulatedEventKind.Valid, order.OrderId, null)
        {
            OccurredAt = order.OccurredAt,
            Sequence = _eventSeq++,
            EventType = order.EventType,
            Order = order,
        };
        _out.Add(e);

        if (order.EventType == OrderEventTypes.Placed && _rng.Chance(_options.CancellationShare))
        {
            // Most cancellations come within hours.
            var delay = Math.Max(TimeSpan.TicksPerMinute, (long)(_rng.Exponential() * 3 * TicksPerHour));
            Enqueue(new PendingCancellation(order), t + delay);
        }

        if (_rng.Chance(_duplicatePerValid))
        {
            // A producer retry: the same bytes again, up to a few real seconds later.
            var realDelay = _rng.Exponential() * 0.5 * TimeSpan.TicksPerSecond;
            Enqueue(new PendingDuplicate(e), t + (long)(realDelay * _compression));
        }

        if (_rng.Chance(_malformedPerValid)) EmitMalformed(t);
    }

    private void EmitMalformed(long t)
    {
        var template = NewOrder(t, customer: null, applyOutages: false)!;
        var wallAtPublish = _wallStart + RealOffset(t);
        var (reason, payload) = _malformed.Create(template, ToTime(t), wallAtPublish);
        _out.Add(new SimulatedEvent(RealOffset(t), template.OrderId, payload, SimulatedEventKind.Malformed, template.OrderId, reason)
        {
            OccurredAt = ToTime(t),
            Sequence = _eventSeq++,
        });
    }

    private string NextOrderId() => $"{_options.OrderIdPrefix}-{++_orderSeq:D10}";

    private OrderEvent? NewOrder(long t, int? customer, bool applyOutages)
    {
        var c = customer ?? (_rng.Chance(_options.GuestShare) ? -1 : SampleCustomer());
        var region = c >= 0 ? _customerRegion[c] : _regionTable.Sample(_rng);
        if (applyOutages && _regionFactor[region] < 1 && !_rng.Chance(_regionFactor[region])) return null;
        var channel = c >= 0 && _rng.Chance(0.8) ? _customerChannel[c] : _channelTable.Sample(_rng);

        var orderNumber = _orderSeq + 1;
        var lineCount = SampleLineCount();
        var lines = new List<OrderLine>(lineCount + _boosted.Count);
        for (var i = 0; i < lineCount; i++)
        {
            var sku = SampleSku();
            // Lines of one order have distinct SKUs; a repeated pick is retried a few times, then dropped.
            for (var retry = 0; retry < 4 && _seenInOrder[sku] == orderNumber; retry++) sku = SampleSku();
            if (_seenInOrder[sku] == orderNumber) continue;
            _seenInOrder[sku] = orderNumber;
            lines.Add(Line(sku, SampleQuantity()));
        }

        // Promotions and spikes: extra units of the boosted SKU, (factor - 1) times its usual share of lines.
        foreach (var (sku, extraPerLine) in _boosted)
        {
            var extra = _rng.Poisson(extraPerLine * lineCount);
            if (extra == 0) continue;
            var quantity = 0;
            for (var k = 0; k < extra; k++) quantity += SampleQuantity();
            if (_seenInOrder[sku] == orderNumber)
            {
                var at = FindLine(lines, _catalog.Items[sku].Sku);
                lines[at] = lines[at] with { Quantity = Math.Min(10_000, lines[at].Quantity + quantity) };
            }
            else
            {
                _seenInOrder[sku] = orderNumber;
                lines.Add(Line(sku, Math.Min(10_000, quantity)));
            }
        }

        if (lines.Count == 0) lines.Add(Line(SampleSku(), SampleQuantity()));

        return new OrderEvent
        {
            EventType = OrderEventTypes.Placed,
            OrderId = NextOrderId(),
            CustomerId = c >= 0 ? _customerIds[c] : null,
            OccurredAt = ToTime(t),
            Currency = _options.Currency,
            Region = _regions[region],
            Channel = Regions.Channels[channel],
            Lines = lines,
        };
    }

    private static int FindLine(List<OrderLine> lines, string sku)
    {
        for (var i = 0; i < lines.Count; i++)
            if (lines[i].Sku == sku) return i;
        return -1;
    }

    private OrderLine Line(int sku, int quantity)
    {
        var price = _priceFactor[sku] == 1.0
            ? _price[sku]
            : Math.Max(0.01m, Math.Round(_price[sku] * (decimal)_priceFactor[sku], 2));
        var item = _catalog.Items[sku];
        return new OrderLine { Sku = item.Sku, Quantity = quantity, UnitPrice = price, PromotionId = _promotionId[sku], Category = item.Category };
    }

    private OrderEvent NewCancellation(OrderEvent original, long t)
    {
        IReadOnlyList<OrderLine> lines = original.Lines;
        if (_rng.Chance(0.4))
        {
            // A partial cancellation: some lines, some units.
            var subset = new List<OrderLine>();
            foreach (var line in original.Lines)
            {
                if (!_rng.Chance(0.5)) continue;
                subset.Add(_rng.Chance(0.2) && line.Quantity > 1 ? line with { Quantity = 1 + _rng.NextInt(line.Quantity - 1) } : line);
            }

            if (subset.Count == 0) subset.Add(original.Lines[_rng.NextInt(original.Lines.Count)]);
            lines = subset;
        }

        return original with
        {
            EventType = OrderEventTypes.Cancelled,
            OrderId = NextOrderId(),
            CancelsOrderId = original.OrderId,
            OccurredAt = ToTime(t),
            Lines = lines,
        };
    }

    private int SampleCustomer()
    {
        // Skewed activity: a few customers order often (repeat purchases), most rarely.
        var u = _rng.NextDouble();
        return Math.Min(_customerIds.Length - 1, (int)(_customerIds.Length * u * u));
    }

    private int SampleLineCount()
    {
        if (_rng.Chance(_options.SingleLineShare)) return 1;
        var n = (int)Math.Round(_rng.LogNormal(Math.Log(_options.MedianLinesPerOrder), _options.LinesPerOrderSigma));
        return Math.Clamp(n, 1, _options.MaxLinesPerOrder);
    }

    private int SampleQuantity() => QuantityValues[_quantityTable.Sample(_rng)];

    private int SampleSku()
    {
        var sku = _catalog.SampleIndex(_rng);
        // Drops: a SKU in a drop window is kept with its (small) factor, else the customer picks another.
        for (var tries = 0; tries < 8 && _demandFactor[sku] < 1 && !_rng.Chance(_demandFactor[sku]); tries++)
            sku = _catalog.SampleIndex(_rng);
        return sku;
    }

    /// <summary>Applies price changes at day boundaries and recomputes promotion and anomaly effects when one starts or ends.</summary>
    private void UpdateEffects(long t)
    {
        var day = t / TimeSpan.TicksPerDay;
        if (day != _day)
        {
            if (_day != long.MinValue) ChangePrices();
            _day = day;
        }

        if (t < _nextEffectChange) return;

        // Windows are sorted by start: move the newly started ones to the active lists, drop the ended ones.
        while (_promotionNext < _promotions.Count && _promotions[_promotionNext].Start.UtcTicks <= t) _activePromotions.Add(_promotions[_promotionNext++]);
        while (_anomalyNext < _anomalies.Count && _anomalies[_anomalyNext].Start.UtcTicks <= t) _activeAnomalies.Add(_anomalies[_anomalyNext++]);
        _activePromotions.RemoveAll(p => p.End.UtcTicks <= t);
        _activeAnomalies.RemoveAll(a => a.End.UtcTicks <= t);

        foreach (var i in _touched)
        {
            _demandFactor[i] = 1;
            _priceFactor[i] = 1;
            _promotionId[i] = null;
        }

        _touched.Clear();
        _boosted.Clear();
        Array.Fill(_regionFactor, 1.0);
        var next = long.MaxValue;
        if (_promotionNext < _promotions.Count) next = _promotions[_promotionNext].Start.UtcTicks;
        if (_anomalyNext < _anomalies.Count) next = Math.Min(next, _anomalies[_anomalyNext].Start.UtcTicks);

        foreach (var p in _activePromotions)
        {
            next = Math.Min(next, p.End.UtcTicks);
            if (!_skuIndex.TryGetValue(p.Sku, out var sku)) continue;
            Touch(sku);
            _demandFactor[sku] *= p.Uplift;
            _priceFactor[sku] *= 1 - p.Discount;
            _promotionId[sku] = p.PromotionId;
        }

        foreach (var a in _activeAnomalies)
        {
            next = Math.Min(next, a.End.UtcTicks);
            if (a.Sku is not null && _skuIndex.TryGetValue(a.Sku, out var sku))
            {
                Touch(sku);
                if (a.Kind == SimulatedAnomalyKinds.PriceError) _priceFactor[sku] *= a.Magnitude;
                else _demandFactor[sku] *= a.Magnitude;
            }
            else if (a.Kind == SimulatedAnomalyKinds.RegionOutage && a.Region is not null && _regionIndex.TryGetValue(a.Region, out var region))
            {
                _regionFactor[region] *= a.Magnitude;
            }
        }

        foreach (var sku in _touched)
            if (_demandFactor[sku] > 1) _boosted.Add((sku, (_demandFactor[sku] - 1) * _catalog.Items[sku].Popularity));

        _nextEffectChange = next;
    }

    private void Touch(int sku)
    {
        if (_demandFactor[sku] == 1 && _priceFactor[sku] == 1 && _promotionId[sku] is null) _touched.Add(sku);
    }

    private void ChangePrices()
    {
        var changes = _rng.Poisson(_catalog.Count * _options.PriceChangesPerSkuPerYear / 365.0);
        for (var i = 0; i < changes; i++)
        {
            var sku = _rng.NextInt(_catalog.Count);
            var factor = 1 + (_rng.Chance(0.6) ? 1 : -1) * _rng.Uniform(0.03, 0.15);
            _price[sku] = Catalog.RoundPrice((double)_price[sku] * factor);
        }
    }
}
