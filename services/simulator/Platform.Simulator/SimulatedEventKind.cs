namespace Platform.Simulator;

public enum SimulatedEventKind
{
    /// <summary>A valid order_placed or order_cancelled event.</summary>
    Valid,

    /// <summary>The same bytes as an earlier event (a producer retry); ingestion must count it once.</summary>
    Duplicate,

    /// <summary>Bytes that ingestion must reject with <see cref="SimulatedEvent.ExpectedRejectionReason"/>.</summary>
    Malformed,
}
