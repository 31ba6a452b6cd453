using Platform.Contracts;

namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Streaming risk score of each placed order against the orders before it (no lookahead), per SKU and per
/// customer. Three inputs, each turned into a tail probability and the common score −log10(p) / 10:
/// <list type="bullet">
/// <item>Unit price: the line's log price against its SKU's robust (Huber, EW) log price, two-sided, with a scale
/// floor so repricing and discounts stay normal; ×100 and ×0.01 errors score 1. A line with a promotion id may be
/// cheaper by <see cref="OrderRiskOptions.PromotionDiscountAllowance"/>. Abnormal prices are not learnt, unless
/// they persist for <see cref="OrderRiskOptions.AdoptPriceAfter"/> (then they are a deliberate repricing).</item>
/// <item>Quantity: the line's log quantity against its SKU's robust log quantity, upper tail only.</item>
/// <item>Customer velocity: the customer's orders in the last 10 min, 30 min and 1 h against a Poisson rate of
/// max(their long-run share of all orders × all orders in that window, a population floor of
/// <see cref="OrderRiskOptions.MinCustomerOrdersPerHour"/>). Using the share of all orders makes the
/// expectation follow the time of day. Guest orders (no customer id) skip this input.</item>
/// </list>
/// Cancellations are not scored. Orders should arrive roughly in event-time order (as on a partition);
/// a late order is judged against the state as it is.
/// </summary>
public sealed class OrderRiskScorer
{
    private const int ForgetEvery = 100_000;

    private readonly OrderRiskOptions _options;
    private readonly Dictionary<string, SkuRiskState> _skus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CustomerRiskState> _customers = new(StringComparer.Ordinal);
    private readonly long[] _windowTicks;
    private readonly long _longestWindow;
    private readonly MinuteCounts _recentOrders;
    private readonly double _promotionAllowance;
    private double _globalLong;
    private long _globalLongAt;
    private long _orders;

    public OrderRiskScorer(OrderRiskOptions? options = null)
    {
        _options = options ?? new OrderRiskOptions();
        _options.Validate();
        _windowTicks = _options.VelocityWindows.Select(w => w.Ticks).ToArray();
        _longestWindow = _windowTicks.Max();
        _recentOrders = new MinuteCounts((int)Math.Ceiling(TimeSpan.FromTicks(_longestWindow).TotalMinutes) + 1);
        _promotionAllowance = -Math.Log(1 - _options.PromotionDiscountAllowance);
    }

    public OrderRiskOptions Options => _options;

    /// <summary>SKUs and customers currently remembered (customers idle past <see cref="OrderRiskOptions.ForgetCustomersAfter"/> are dropped).</summary>
    public (int Skus, int Customers) Remembered => (_skus.Count, _customers.Count);

    public OrderRisk Score(OrderEvent order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.EventType != OrderEventTypes.Placed) return OrderRisk.None(order);
        var now = order.OccurredAt;
        var findings = new List<(double Score, AnomalyContributor Contributor)>();
        var incidents = new List<RiskIncident>();

        foreach (var line in order.Lines)
        {
            if (string.IsNullOrEmpty(line.Sku)) continue;
            if (!_skus.TryGetValue(line.Sku, out var sku)) _skus[line.Sku] = sku = new SkuRiskState();
            JudgePrice(sku, line, now, findings, incidents);
            JudgeQuantity(sku, line, now, findings, incidents);
            sku.Lines++;
        }

        JudgeVelocity(order, now, findings, incidents);
        _orders++;
        if (_orders % ForgetEvery == 0) ForgetIdleCustomers(now);

        var score = findings.Count == 0 ? 0 : findings.Max(f => f.Score);
        // Near misses are explained too, so an operator can see what almost tripped.
        var contributors = score >= _options.Threshold / 2
            ? findings.OrderByDescending(f => f.Score).Take(5).Select(f => f.Contributor).ToArray()
            : [];
        return new OrderRisk(order.OrderId, order.CustomerId, now, score, score >= _options.Threshold, contributors, incidents);
    }

    private void JudgePrice(SkuRiskState sku, OrderLine line, DateTimeOffset now, List<(double, AnomalyContributor)> findings, List<RiskIncident> incidents)
    {
        if (line.UnitPrice <= 0) return;
        var logPrice = Math.Log((double)line.UnitPrice);
        var promoted = line.PromotionId is not null;
        if (sku.Lines >= _options.MinLinesPerSku && sku.Price.Count > 0)
        {
            var deviation = logPrice - sku.Price.Location;
            if (promoted && deviation < 0) deviation = Math.Min(0, deviation + _promotionAllowance);
            var score = AnomalyScore.FromTwoSidedZ(deviation / Math.Max(sku.Price.Scale, _options.MinPriceScale));
            findings.Add((score, new AnomalyContributor
            {
                Name = $"{RiskReasons.UnitPrice}:{line.Sku}", Value = (double)line.UnitPrice, Baseline = Math.Exp(sku.Price.Location),
            }));
            if (score >= _options.Threshold)
            {
                if (IsNewIncident(sku.LastPriceAbnormal, now)) incidents.Add(new RiskIncident(RiskReasons.UnitPrice, line.Sku, score));
                sku.LastPriceAbnormal = now;
                sku.PriceAbnormalSince ??= now;
                // A price that stays "wrong" for a day is the new price: adopt it rather than alarm forever.
                if (now - sku.PriceAbnormalSince.Value >= _options.AdoptPriceAfter)
                {
                    sku.Price.Reset(logPrice);
                    sku.PriceAbnormalSince = null;
                }

                return;
            }
        }

        sku.PriceAbnormalSince = null;
        // Promotion prices are not the SKU's price: learning them would make the regular price look high afterwards.
        if (!promoted) sku.Price.Absorb(logPrice, _options.PriceMemory, _options.MinPriceScale);
    }

    private void JudgeQuantity(SkuRiskState sku, OrderLine line, DateTimeOffset now, List<(double, AnomalyContributor)> findings, List<RiskIncident> incidents)
    {
        if (line.Quantity <= 0) return;
        var logQuantity = Math.Log(line.Quantity);
        if (sku.Lines >= _options.MinLinesPerSku && sku.Quantity.Count > 0)
        {
            var score = AnomalyScore.FromUpperZ(sku.Quantity.Z(logQuantity, _options.MinQuantityScale));
            findings.Add((score, new AnomalyContributor
            {
                Name = $"{RiskReasons.Quantity}:{line.Sku}", Value = line.Quantity, Baseline = Math.Exp(sku.Quantity.Location),
            }));
            if (score >= _options.Threshold)
            {
                if (IsNewIncident(sku.LastQuantityAbnormal, now)) incidents.Add(new RiskIncident(RiskReasons.Quantity, line.Sku, score));
                sku.LastQuantityAbnormal = now;
                return;
            }
        }

        sku.Quantity.Absorb(logQuantity, _options.QuantityMemory, _options.MinQuantityScale);
    }

    private void JudgeVelocity(OrderEvent order, DateTimeOffset now, List<(double, AnomalyContributor)> findings, List<RiskIncident> incidents)
    {
        var ticks = now.UtcTicks;
        _recentOrders.Add(ticks);
        DecayGlobal(ticks);
        if (string.IsNullOrEmpty(order.CustomerId))
        {
            _globalLong += 1;
            return;
        }

        if (!_customers.TryGetValue(order.CustomerId, out var customer))
        {
            _customers[order.CustomerId] = customer = new CustomerRiskState { LongAt = ticks };
        }

        customer.LastSeen = Math.Max(customer.LastSeen, ticks);
        customer.Recent.Enqueue(ticks);
        while (customer.Recent.Count > 0 && customer.Recent.Peek() <= ticks - _longestWindow) customer.Recent.Dequeue();
        var decay = Math.Exp(-Math.Max(0, ticks - customer.LongAt) / (double)_options.CustomerHistory.Ticks);
        customer.LongCount *= decay;
        customer.LongAt = Math.Max(customer.LongAt, ticks);

        var best = 0.0;
        AnomalyContributor? strongest = null;
        if (_orders >= _options.WarmupOrders && _globalLong > 0)
        {
            var share = customer.LongCount / _globalLong;
            foreach (var window in _windowTicks)
            {
                var count = 0;
                foreach (var t in customer.Recent)
                {
                    if (t > ticks - window) count++;
                }

                var hours = TimeSpan.FromTicks(window).TotalHours;
                var expected = Math.Max(share * _recentOrders.CountSince(ticks - window), _options.MinCustomerOrdersPerHour * hours);
                var score = AnomalyScore.FromLog10P(AnomalyScore.Log10PoissonUpperTail(count, expected));
                if (score <= best && strongest is not null) continue;
                best = score;
                strongest = new AnomalyContributor { Name = $"customer_orders_{Describe(window)}", Value = count, Baseline = expected };
            }

            findings.Add((best, strongest!));
        }

        if (best >= _options.Threshold)
        {
            if (IsNewIncident(customer.LastVelocityAbnormal, now)) incidents.Add(new RiskIncident(RiskReasons.CustomerVelocity, order.CustomerId, best));
            customer.LastVelocityAbnormal = now;
            // A burst is not the customer's habit: it must not raise their share and excuse the next burst.
            _globalLong += 1;
            return;
        }

        customer.LongCount += 1;
        _globalLong += 1;
    }

    private void DecayGlobal(long ticks)
    {
        if (ticks > _globalLongAt)
        {
            _globalLong *= Math.Exp(-(ticks - _globalLongAt) / (double)_options.CustomerHistory.Ticks);
            _globalLongAt = ticks;
        }
    }

    private bool IsNewIncident(DateTimeOffset? lastAbnormal, DateTimeOffset now) =>
        lastAbnormal is null || now - lastAbnormal.Value > _options.IncidentQuietPeriod;

    private void ForgetIdleCustomers(DateTimeOffset now)
    {
        var cutoff = now.UtcTicks - _options.ForgetCustomersAfter.Ticks;
        foreach (var (id, customer) in _customers)
        {
            if (customer.LastSeen < cutoff) _customers.Remove(id);
        }
    }

    private static string Describe(long ticks)
    {
        var span = TimeSpan.FromTicks(ticks);
        return span.TotalHours >= 1 && span.Ticks % TimeSpan.TicksPerHour == 0 ? $"{span.TotalHours:0}h" : $"{span.TotalMinutes:0}m";
    }

    /// <summary>Orders per minute over a sliding window of whole minutes: O(1) memory whatever the order rate.</summary>
    private sealed class MinuteCounts(int minutes)
    {
        private readonly long[] _counts = new long[minutes];
        private readonly long[] _minute = Enumerable.Repeat(long.MinValue, minutes).ToArray();

        public void Add(long ticks)
        {
            var minute = ticks / TimeSpan.TicksPerMinute;
            var at = (int)(minute % _counts.Length);
            if (_minute[at] != minute)
            {
                _minute[at] = minute;
                _counts[at] = 0;
            }

            _counts[at]++;
        }

        /// <summary>Orders at or after <paramref name="fromTicks"/>, to the minute.</summary>
        public long CountSince(long fromTicks)
        {
            var from = fromTicks / TimeSpan.TicksPerMinute;
            long sum = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                if (_minute[i] >= from) sum += _counts[i];
            }

            return sum;
        }
    }
}
