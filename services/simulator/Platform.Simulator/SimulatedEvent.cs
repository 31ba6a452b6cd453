namespace Platform.Simulator;

/// <summary>
/// One record to publish. <paramref name="Key"/> is the order id (use it as the Kafka key); <paramref name="Payload"/>
/// is the record value: <see cref="Platform.Contracts.OrderEvent"/> JSON for valid and duplicate events.
/// </summary>
public sealed record SimulatedEvent(
    TimeSpan RealOffset,
    string? Key,
    byte[] Payload,
    SimulatedEventKind Kind,
    string? OrderId,
    string? ExpectedRejectionReason)
{
    /// <summary>Simulated event time (for malformed events: the simulated time at which they are sent).</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>0-based position in the generated stream.</summary>
    public long Sequence { get; init; }

    /// <summary>For a valid event: order_placed or order_cancelled.</summary>
    public string? EventType { get; init; }

    /// <summary>For a valid event: the order <see cref="Payload"/> holds, so in-process consumers (history backfills) need not parse it.</summary>
    public Platform.Contracts.OrderEvent? Order { get; init; }
}
