namespace Platform.Contracts;

/// <summary>
/// A rejected input on orders.rejected. Schema version 1. The same reason, source position and
/// exception type are also in the record's headers (see <see cref="DeadLetterHeaders"/>).
/// </summary>
public sealed record OrderRejected
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>Machine-readable reason: one of <see cref="RejectionReasons"/>.</summary>
    public string Reason { get; init; } = "";

    /// <summary>Human-readable explanation.</summary>
    public string Detail { get; init; } = "";

    /// <summary>JSON path of the offending field, when one field is at fault (for example "$.lines[2].quantity").</summary>
    public string? Field { get; init; }

    /// <summary>The order id, when it could be read.</summary>
    public string? OrderId { get; init; }

    /// <summary>"kafka" or "http".</summary>
    public string Source { get; init; } = "";

    public string? SourceTopic { get; init; }

    public int? SourcePartition { get; init; }

    public long? SourceOffset { get; init; }

    public DateTimeOffset RejectedAt { get; init; }

    /// <summary>The original payload as UTF-8 text (invalid bytes replaced), cut at the payload size limit.</summary>
    public string? Payload { get; init; }

    public bool PayloadTruncated { get; init; }
}
