namespace Platform.Contracts;

/// <summary>
/// An order event as an order system publishes it to orders.raw (or POSTs to /orders).
/// Schema version 1. Producers should key the Kafka record by <see cref="OrderId"/> so that
/// redeliveries of one order land on one partition.
/// </summary>
public sealed record OrderEvent
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary><see cref="OrderEventTypes.Placed"/> or <see cref="OrderEventTypes.Cancelled"/>.</summary>
    public string EventType { get; init; } = OrderEventTypes.Placed;

    /// <summary>Unique id of this event's order (a cancellation has its own id).</summary>
    public string OrderId { get; init; } = "";

    /// <summary>For a cancellation: the order it cancels, when the order system knows it.</summary>
    public string? CancelsOrderId { get; init; }

    /// <summary>The customer's id in the order system; absent for guest checkouts. Never leaves ingestion unhashed.</summary>
    public string? CustomerId { get; init; }

    /// <summary>When the order was placed (event time), ISO 8601 with offset.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>ISO 4217 code, upper case.</summary>
    public string Currency { get; init; } = "";

    public string? Region { get; init; }

    public string? Channel { get; init; }

    public IReadOnlyList<OrderLine> Lines { get; init; } = [];
}

public sealed record OrderLine
{
    public string Sku { get; init; } = "";

    /// <summary>Units ordered (or cancelled): always positive; the event type gives the sign.</summary>
    public int Quantity { get; init; }

    public decimal UnitPrice { get; init; }

    /// <summary>Promotion code in force for this line, if any.</summary>
    public string? PromotionId { get; init; }

    /// <summary>Product category in the order system's catalog, if it sends one; feeds category-level features.</summary>
    public string? Category { get; init; }
}

public static class OrderEventTypes
{
    public const string Placed = "order_placed";
    public const string Cancelled = "order_cancelled";
}
