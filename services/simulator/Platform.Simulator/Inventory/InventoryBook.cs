using Platform.Contracts;

namespace Platform.Simulator.Inventory;

/// <summary>
/// The simulated inventory: stock on hand and on order per SKU, replenished by <see cref="InventoryPolicy"/> from each
/// SKU's latest forecast, drawn down by sales, with shipments landing after their supplier's lead time (late and short
/// for the delayed suppliers). Deterministic: the same inputs in the same order give the same book.
/// </summary>
/// <remarks>
/// <para>Time is event time only: the clock is the latest event time seen (order lines' occurred_at, forecasts'
/// feature_as_of). Moving it forward first lands the shipments and runs the reviews that fall due on the way, in time
/// order; an input older than the clock applies at the clock (stock cannot change in the past).</para>
/// <para>A SKU is stocked from its first forecast on, at its order-up-to level: the buyer needs a forecast to know how
/// much to hold. Lines for a SKU before that are counted, not applied.</para>
/// <para>Thread-safe: the consumer applies inputs on its thread while a demo reads <see cref="Snapshot"/> on another.</para>
/// </remarks>
public sealed class InventoryBook
{
    private readonly object _gate = new();
    private readonly InventoryOptions _options;
    private readonly InventoryPolicy _policy;
    private readonly long _reviewTicks;
    private readonly Dictionary<string, SkuStock> _skus = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Shipment, (DateTimeOffset ArrivesAt, long Order)> _inTransit = new();
    private readonly List<Shipment> _shipments = [];
    private readonly List<StockoutIncident> _incidents = [];
    private readonly HashSet<string> _lineIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private DateTimeOffset? _clock;
    private DateTimeOffset _nextReview;
    private long _unitsSold, _lostSales, _unitsReturned, _linesBeforeForecast, _duplicateLines, _forecastsApplied, _levelsPublished;
    private int _shipmentsReceived;

    public InventoryBook(InventoryOptions options)
    {
        _policy = new InventoryPolicy(options);
        _options = options;
        _reviewTicks = (long)Math.Round(options.ReviewPeriodHours * TimeSpan.TicksPerHour);
    }

    public InventoryOptions Options => _options;

    /// <summary>Applies a SKU's new forecast; stocks the SKU at its order-up-to level if it is the first.</summary>
    /// <returns>null when applied; otherwise the <see cref="InventoryRejections"/> reason it was refused.</returns>
    public string? ApplyForecast(DemandForecast forecast)
    {
        lock (_gate)
        {
            if (string.IsNullOrWhiteSpace(forecast.Sku))
            {
                return Reject(InventoryRejections.MissingSku);
            }

            var curve = ForecastCurve.TryRead(forecast, out var reason);
            if (curve is null)
            {
                return Reject(reason!);
            }

            var at = forecast.FeatureAsOf != default ? forecast.FeatureAsOf : curve.Origin;
            if (!Advance(at))
            {
                return Reject(InventoryRejections.TimeOutOfRange);
            }

            var now = _clock!.Value;
            if (_skus.TryGetValue(forecast.Sku, out var stock))
            {
                stock.Forecast = curve;
            }
            else
            {
                var supplier = SupplierProfile.Draw(forecast.Sku, _options, out var draws);
                stock = new SkuStock(supplier, draws, curve);
                stock.OnHand = (long)Math.Ceiling(_policy.OrderUpToLevel(curve, now, supplier.LeadTimeHours) - 1e-9);
                _skus.Add(forecast.Sku, stock);
            }

            _forecastsApplied++;
            Evaluate(forecast.Sku, stock);
            return null;
        }
    }

    /// <summary>Applies an accepted order line from orders.validated (a sale, or a cancellation returning units).</summary>
    /// <returns>null when applied, dropped as a duplicate or counted as before the SKU's first forecast; otherwise the reason it was refused.</returns>
    public string? ApplyOrderLine(OrderLineValidated line) => ApplySale(line.LineId, line.Sku, line.Quantity, line.OccurredAt);

    /// <summary>
    /// Applies <paramref name="quantity"/> units sold of <paramref name="sku"/> at <paramref name="at"/> (negative: a
    /// cancellation returns units, never more than were sold). Stock never goes negative: demand beyond it is lost sales.
    /// A non-empty <paramref name="lineId"/> seen before is dropped, so a redelivered line does not sell twice.
    /// </summary>
    public string? ApplySale(string lineId, string sku, int quantity, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (string.IsNullOrWhiteSpace(sku))
            {
                return Reject(InventoryRejections.MissingSku);
            }

            if (quantity == 0)
            {
                return Reject(InventoryRejections.BadQuantity);
            }

            if (at == default)
            {
                return Reject(InventoryRejections.MissingTime);
            }

            if (!Advance(at))
            {
                return Reject(InventoryRejections.TimeOutOfRange);
            }

            if (!string.IsNullOrEmpty(lineId) && !_lineIds.Add(lineId))
            {
                _duplicateLines++;
                return null;
            }

            if (!_skus.TryGetValue(sku, out var stock))
            {
                _linesBeforeForecast++;
                return null;
            }

            long lost = 0;
            if (quantity > 0)
            {
                var sold = Math.Min(stock.OnHand, quantity);
                lost = quantity - sold;
                stock.OnHand -= sold;
                stock.UnitsSold += sold;
                stock.LostSales += lost;
                _unitsSold += sold;
                _lostSales += lost;
            }
            else
            {
                var returned = Math.Min(-(long)quantity, stock.UnitsSold - stock.UnitsReturned);
                stock.OnHand += returned;
                stock.UnitsReturned += returned;
                _unitsReturned += returned;
            }

            stock.Dirty = true;
            Evaluate(sku, stock);
            if (lost > 0 && stock.OpenIncident >= 0)
            {
                var incident = _incidents[stock.OpenIncident];
                _incidents[stock.OpenIncident] = incident with { LostSales = incident.LostSales + lost };
            }

            return null;
        }
    }

    /// <summary>Moves the clock to <paramref name="at"/> (if later), landing shipments and running reviews on the way.</summary>
    /// <returns>false when <paramref name="at"/> is further ahead than <see cref="InventoryOptions.MaxClockJump"/> (nothing changes).</returns>
    public bool AdvanceTo(DateTimeOffset at)
    {
        lock (_gate)
        {
            return Advance(at);
        }
    }

    /// <summary>
    /// Levels to publish now: SKUs whose position changed, at most once per <see cref="InventoryOptions.PublishInterval"/>
    /// each, except that a SKU whose stock crossed the risk line (either way) or ran empty since its last published level
    /// is published at once. Nothing is marked published until <see cref="MarkPublished"/>, so a batch whose outputs
    /// fail publishes the same levels again when it is retried.
    /// </summary>
    public IReadOnlyList<InventoryLevel> PendingLevels()
    {
        lock (_gate)
        {
            if (_clock is not { } now)
            {
                return [];
            }

            var levels = new List<InventoryLevel>();
            foreach (var (sku, stock) in _skus)
            {
                if (!stock.Dirty)
                {
                    continue;
                }

                var below = stock.OnHand < InventoryPolicy.RiskLine(stock.Forecast, now, stock.Supplier.LeadTimeHours);
                var urgent = stock.LastPublishedAt is null
                    || below != stock.PublishedBelowLine
                    || (stock.OnHand == 0 && !stock.PublishedEmpty);
                if (urgent || now - stock.LastPublishedAt >= _options.PublishInterval)
                {
                    levels.Add(new InventoryLevel
                    {
                        Sku = sku,
                        Region = _options.Region,
                        OnHand = stock.OnHand,
                        OnOrder = stock.OnOrder,
                        LeadTimeHours = stock.Supplier.LeadTimeHours,
                        AsOf = now,
                    });
                }
            }

            return levels;
        }
    }

    /// <summary>Records that <paramref name="levels"/> (from <see cref="PendingLevels"/>) reached Kafka.</summary>
    public void MarkPublished(IEnumerable<InventoryLevel> levels)
    {
        lock (_gate)
        {
            foreach (var level in levels)
            {
                if (!_skus.TryGetValue(level.Sku, out var stock))
                {
                    continue;
                }

                stock.LastPublishedAt = level.AsOf;
                stock.PublishedBelowLine = level.OnHand < InventoryPolicy.RiskLine(stock.Forecast, level.AsOf, stock.Supplier.LeadTimeHours);
                stock.PublishedEmpty = level.OnHand == 0;
                // Still dirty if it moved again after the level was taken.
                stock.Dirty = stock.OnHand != (long)level.OnHand || stock.OnOrder != (long)level.OnOrder;
                _levelsPublished++;
            }
        }
    }

    /// <summary>Counts an input refused before it reached the book (for example unreadable JSON).</summary>
    public void CountRejected(string reason)
    {
        lock (_gate)
        {
            Reject(reason);
        }
    }

    /// <summary>A SKU's stock now; null if it is not stocked (no forecast yet).</summary>
    public SkuPosition? Position(string sku)
    {
        lock (_gate)
        {
            if (!_skus.TryGetValue(sku, out var stock))
            {
                return null;
            }

            var line = _clock is { } now ? InventoryPolicy.RiskLine(stock.Forecast, now, stock.Supplier.LeadTimeHours) : 0;
            return new SkuPosition(sku, stock.OnHand, stock.OnOrder, stock.Supplier.LeadTimeHours, stock.Supplier.Delayed, line,
                stock.UnitsSold, stock.LostSales, stock.PendingShipments);
        }
    }

    public InventoryReport Snapshot()
    {
        lock (_gate)
        {
            return new InventoryReport
            {
                Clock = _clock,
                SkusTracked = _skus.Count,
                DelayedSkus = _skus.Values.Where(s => s.Supplier.Delayed).Select(s => s.Supplier.Sku).ToList(),
                UnitsSold = _unitsSold,
                LostSales = _lostSales,
                UnitsReturned = _unitsReturned,
                LinesBeforeFirstForecast = _linesBeforeForecast,
                DuplicateLines = _duplicateLines,
                ForecastsApplied = _forecastsApplied,
                ReplenishmentOrders = _shipments.Count,
                ShipmentsReceived = _shipmentsReceived,
                LateShipments = _shipments.Count(s => s.Late && s.ArrivesAt <= _clock),
                ShortShipments = _shipments.Count(s => s.Short && s.ArrivesAt <= _clock),
                LevelsPublished = _levelsPublished,
                Rejected = new Dictionary<string, long>(_rejected, StringComparer.Ordinal),
                Incidents = [.. _incidents],
                Shipments = [.. _shipments],
            };
        }
    }

    private string Reject(string reason)
    {
        _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;
        return reason;
    }

    private bool Advance(DateTimeOffset at)
    {
        if (_clock is not { } clock)
        {
            _clock = at;
            _nextReview = NextReviewAfter(at);
            return true;
        }

        if (at - clock > _options.MaxClockJump)
        {
            return false;
        }

        while (true)
        {
            var landing = _inTransit.TryPeek(out var shipment, out var when) ? when.ArrivesAt : DateTimeOffset.MaxValue;
            // A shipment landing at a review's instant lands first, so the review counts it on hand.
            if (landing <= at && landing <= _nextReview)
            {
                _inTransit.Dequeue();
                _clock = landing > _clock ? landing : _clock;
                Receive(shipment!);
            }
            else if (_nextReview <= at)
            {
                _clock = _nextReview;
                Review();
                _nextReview = _nextReview.AddTicks(_reviewTicks);
            }
            else
            {
                break;
            }
        }

        if (at > _clock)
        {
            _clock = at;
        }

        return true;
    }

    /// <summary>Reviews fall on a fixed grid from the Unix epoch, so they do not depend on when the first message came.</summary>
    private DateTimeOffset NextReviewAfter(DateTimeOffset at)
    {
        var sinceEpoch = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var periods = Math.Floor((double)sinceEpoch / _reviewTicks) + 1;
        return DateTimeOffset.UnixEpoch.AddTicks((long)periods * _reviewTicks);
    }

    private void Review()
    {
        var now = _clock!.Value;
        foreach (var (sku, stock) in _skus)
        {
            // The line moves with the clock (the day's demand shape): a review is also when an incident can start or end without a sale.
            Evaluate(sku, stock);
            var target = (long)Math.Ceiling(_policy.OrderUpToLevel(stock.Forecast, now, stock.Supplier.LeadTimeHours) - 1e-9);
            var position = stock.OnHand + stock.OnOrder;
            if (position < target)
            {
                Place(sku, stock, target - position, now);
            }
        }
    }

    private void Place(string sku, SkuStock stock, long quantity, DateTimeOffset now)
    {
        var lead = stock.Supplier.LeadTimeHours;
        var due = now.AddHours(lead);
        var arrives = due;
        var delivered = quantity;
        if (stock.Supplier.Delayed)
        {
            var extra = stock.ShipmentDraws.Uniform(_options.MinExtraDelay, _options.MaxExtraDelay);
            var fill = stock.ShipmentDraws.Uniform(_options.MinFillRate, _options.MaxFillRate);
            arrives = now.AddMinutes(Math.Round(lead * (1 + extra) * 60));
            delivered = (long)Math.Floor(quantity * fill);
        }

        var shipment = new Shipment(sku, stock.ShipmentsPlaced++, now, due, arrives, quantity, delivered);
        _shipments.Add(shipment);
        _inTransit.Enqueue(shipment, (arrives, _shipments.Count));
        stock.OnOrder += quantity;
        stock.PendingShipments++;
        stock.Dirty = true;
    }

    private void Receive(Shipment shipment)
    {
        var stock = _skus[shipment.Sku];
        stock.OnHand += shipment.Delivered;
        stock.OnOrder -= shipment.Quantity;
        stock.PendingShipments--;
        stock.Dirty = true;
        _shipmentsReceived++;
        Evaluate(shipment.Sku, stock);
    }

    /// <summary>Opens, updates or closes the SKU's incident (ground truth) against the risk line at the clock.</summary>
    private void Evaluate(string sku, SkuStock stock)
    {
        var now = _clock!.Value;
        var line = InventoryPolicy.RiskLine(stock.Forecast, now, stock.Supplier.LeadTimeHours);
        var below = stock.OnHand < line;
        if (stock.OpenIncident < 0)
        {
            if (below)
            {
                stock.OpenIncident = _incidents.Count;
                _incidents.Add(new StockoutIncident(sku, now, null, stock.OnHand, line, stock.OnHand, 0, stock.Supplier.Delayed));
                stock.Dirty = true;
            }

            return;
        }

        var open = _incidents[stock.OpenIncident];
        open = open with { MinOnHand = Math.Min(open.MinOnHand, stock.OnHand) };
        if (!below)
        {
            open = open with { End = now };
            stock.Dirty = true;
        }

        _incidents[stock.OpenIncident] = open;
        if (!below)
        {
            stock.OpenIncident = -1;
        }
    }
}
