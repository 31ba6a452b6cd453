using Platform.Contracts;

namespace Platform.Simulator.Inventory;

/// <summary>A consistent snapshot of the inventory book: counters and the ground truth a demo scores detection against.</summary>
public sealed record InventoryReport
{
    /// <summary>The book's event-time clock (latest event time seen); null before the first message.</summary>
    public DateTimeOffset? Clock { get; init; }

    /// <summary>SKUs stocked (those that have had a forecast).</summary>
    public int SkusTracked { get; init; }

    /// <summary>Stocked SKUs whose supplier ships late and short.</summary>
    public IReadOnlyList<string> DelayedSkus { get; init; } = [];

    public long UnitsSold { get; init; }

    /// <summary>Units demanded while the shelf was empty (stock never goes negative).</summary>
    public long LostSales { get; init; }

    /// <summary>Units returned to stock by cancellations.</summary>
    public long UnitsReturned { get; init; }

    /// <summary>Order lines for SKUs that had no forecast yet (not stocked, so not counted as sold or lost).</summary>
    public long LinesBeforeFirstForecast { get; init; }

    /// <summary>Order lines seen before (same line id), dropped.</summary>
    public long DuplicateLines { get; init; }

    public long ForecastsApplied { get; init; }

    public int ReplenishmentOrders { get; init; }

    public int ShipmentsReceived { get; init; }

    public int LateShipments { get; init; }

    public int ShortShipments { get; init; }

    /// <summary>Levels handed to inventory.levels (acknowledged by Kafka).</summary>
    public long LevelsPublished { get; init; }

    /// <summary>Refused inputs per <see cref="InventoryRejections"/> reason.</summary>
    public IReadOnlyDictionary<string, long> Rejected { get; init; } = new Dictionary<string, long>();

    /// <summary>Every span of stock below the lead-time P90 demand, in the order they began (ground truth).</summary>
    public IReadOnlyList<StockoutIncident> Incidents { get; init; } = [];

    /// <summary>Every replenishment order placed, with when it lands and how much (ground truth).</summary>
    public IReadOnlyList<Shipment> Shipments { get; init; } = [];

    /// <summary>Incidents during which the shelf ran empty.</summary>
    public int Stockouts => Incidents.Count(i => i.RanOut);

    /// <summary>
    /// Incidents that at least one of <paramref name="alerts"/> detected (see <see cref="StockoutIncident.IsDetectedBy"/>).
    /// The alert's window start is the forecast origin (the next whole hour of event time), so a tolerance of an hour or
    /// two of simulated time is fair.
    /// </summary>
    public int CountDetected(IEnumerable<AnomalyAlert> alerts, TimeSpan tolerance)
    {
        var bySku = alerts.Where(a => a.Kind == AnomalyKinds.StockoutRisk).ToLookup(a => a.Sku, StringComparer.Ordinal);
        return Incidents.Count(incident => bySku[incident.Sku].Any(alert => incident.IsDetectedBy(alert, tolerance)));
    }
}
