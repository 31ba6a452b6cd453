namespace Platform.Simulator.Inventory;

/// <summary>A replenishment order and what its supplier makes of it (decided when it is placed; ground truth).</summary>
/// <param name="DueAt">Ordered at plus the nominal lead time: when the buyer expects it.</param>
/// <param name="ArrivesAt">When it lands: <see cref="DueAt"/> for a punctual supplier, later for a delayed one.</param>
/// <param name="Quantity">Units ordered (counted on order until it lands).</param>
/// <param name="Delivered">Units that land: fewer than ordered for a delayed supplier.</param>
public sealed record Shipment(string Sku, int Sequence, DateTimeOffset OrderedAt, DateTimeOffset DueAt, DateTimeOffset ArrivesAt, long Quantity, long Delivered)
{
    public bool Late => ArrivesAt > DueAt;

    public bool Short => Delivered < Quantity;
}
