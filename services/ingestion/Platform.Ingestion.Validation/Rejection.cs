namespace Platform.Ingestion.Validation;

/// <summary>Why an input was rejected.</summary>
/// <param name="Reason">One of <see cref="Platform.Contracts.RejectionReasons"/>.</param>
/// <param name="Detail">One human-readable sentence. Never echoes field values, so no raw customer id can leak through it.</param>
/// <param name="Field">JSON path of the offending field with 0-based array indexes (for example "$.lines[2].quantity"); null when no single field is at fault.</param>
/// <param name="OrderId">The order id, when it was read and itself valid.</param>
public readonly record struct Rejection(string Reason, string Detail, string? Field, string? OrderId);
