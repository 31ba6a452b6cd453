namespace Platform.Contracts;

/// <summary>Stock position of one SKU on inventory.levels (published by the inventory service), keyed by SKU. Schema version 1.</summary>
public sealed record InventoryLevel
{
    public int SchemaVersion { get; init; } = 1;

    public string Sku { get; init; } = "";

    public string Region { get; init; } = "all";

    /// <summary>Units on hand now.</summary>
    public double OnHand { get; init; }

    /// <summary>Units ordered from suppliers and not yet received.</summary>
    public double OnOrder { get; init; }

    /// <summary>Hours from a replenishment order to its arrival.</summary>
    public double LeadTimeHours { get; init; }

    public DateTimeOffset AsOf { get; init; }
}
