namespace Platform.Contracts;

/// <summary>
/// One accepted order line on orders.validated, keyed by SKU. Schema version 1.
/// Cancellation lines carry a negative <see cref="Quantity"/>, so a plain sum gives net demand.
/// </summary>
public sealed record OrderLineValidated
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>"{order_id}:{line_number}": stable across redeliveries, so consumers can drop duplicates.</summary>
    public string LineId { get; init; } = "";

    public string OrderId { get; init; } = "";

    /// <summary>1-based position of the line in its order.</summary>
    public int LineNumber { get; init; }

    /// <summary>Number of lines in the order, so a consumer can tell when it has seen a whole order.</summary>
    public int LineCount { get; init; }

    /// <summary><see cref="OrderLineKinds.Sale"/> or <see cref="OrderLineKinds.Cancellation"/>.</summary>
    public string Kind { get; init; } = OrderLineKinds.Sale;

    public string? CancelsOrderId { get; init; }

    public string Sku { get; init; } = "";

    /// <summary>Lower-case product category when the order system sent one; null otherwise.</summary>
    public string? Category { get; init; }

    /// <summary>Signed units: positive for a sale, negative for a cancellation.</summary>
    public int Quantity { get; init; }

    public decimal UnitPrice { get; init; }

    public string Currency { get; init; } = "";

    /// <summary>Lower-case region; "unknown" when the order named none.</summary>
    public string Region { get; init; } = "";

    /// <summary>Lower-case channel; "unknown" when the order named none.</summary>
    public string Channel { get; init; } = "";

    /// <summary>Keyed hash (HMAC-SHA256, hex) of the customer id; null for guest orders.</summary>
    public string? CustomerHash { get; init; }

    public string? PromotionId { get; init; }

    /// <summary>Event time of the order.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>When ingestion accepted it.</summary>
    public DateTimeOffset IngestedAt { get; init; }
}

public static class OrderLineKinds
{
    public const string Sale = "sale";
    public const string Cancellation = "cancellation";
}
