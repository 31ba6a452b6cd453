namespace Platform.Simulator.Inventory;

/// <summary>The book's mutable state of one SKU. Whole units: sales are whole, orders round up, short deliveries round down.</summary>
internal sealed class SkuStock(SupplierProfile supplier, Prng shipmentDraws, ForecastCurve forecast)
{
    public SupplierProfile Supplier { get; } = supplier;

    /// <summary>Per-SKU draws for its shipments' delays and fill rates: deterministic given the SKU's own history.</summary>
    public Prng ShipmentDraws { get; } = shipmentDraws;

    public ForecastCurve Forecast { get; set; } = forecast;

    public long OnHand { get; set; }

    public long OnOrder { get; set; }

    public int PendingShipments { get; set; }

    public int ShipmentsPlaced { get; set; }

    public long UnitsSold { get; set; }

    public long UnitsReturned { get; set; }

    public long LostSales { get; set; }

    /// <summary>Index in the book's incident list of the open incident; -1 when none is open.</summary>
    public int OpenIncident { get; set; } = -1;

    /// <summary>Changed since its level was last published.</summary>
    public bool Dirty { get; set; } = true;

    public DateTimeOffset? LastPublishedAt { get; set; }

    /// <summary>Whether the last published level was below the risk line, or empty (so a new fall is published at once).</summary>
    public bool PublishedBelowLine { get; set; }

    public bool PublishedEmpty { get; set; }
}
