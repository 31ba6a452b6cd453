namespace Platform.Contracts;

/// <summary>
/// The machine-readable reasons ingestion gives on orders.rejected and in HTTP 400 responses.
/// Values are stable: consumers may switch on them.
/// </summary>
public static class RejectionReasons
{
    /// <summary>Not valid JSON, not a JSON object, or not UTF-8.</summary>
    public const string MalformedJson = "malformed_json";

    /// <summary>An empty record value.</summary>
    public const string EmptyPayload = "empty_payload";

    /// <summary>The record is larger than the configured limit.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>schema_version is missing or not one this service reads.</summary>
    public const string UnsupportedSchemaVersion = "unsupported_schema_version";

    /// <summary>event_type is not order_placed or order_cancelled.</summary>
    public const string UnknownEventType = "unknown_event_type";

    /// <summary>A required field is absent or null.</summary>
    public const string MissingField = "missing_field";

    /// <summary>A field has the wrong JSON type or an unparseable value (e.g. a timestamp that is not ISO 8601).</summary>
    public const string InvalidField = "invalid_field";

    /// <summary>The order has no lines.</summary>
    public const string NoLines = "no_lines";

    /// <summary>More lines than the configured limit.</summary>
    public const string TooManyLines = "too_many_lines";

    /// <summary>Quantity is zero or negative.</summary>
    public const string QuantityNotPositive = "quantity_not_positive";

    /// <summary>Quantity exceeds the configured maximum per line.</summary>
    public const string QuantityTooLarge = "quantity_too_large";

    /// <summary>Unit price is negative.</summary>
    public const string PriceNegative = "price_negative";

    /// <summary>Currency is not an ISO 4217 code.</summary>
    public const string InvalidCurrency = "invalid_currency";

    /// <summary>occurred_at is older than the configured maximum age.</summary>
    public const string TimestampTooOld = "timestamp_too_old";

    /// <summary>occurred_at is further in the future than the allowed clock skew.</summary>
    public const string TimestampInFuture = "timestamp_in_future";

    /// <summary>A string field is longer than its limit.</summary>
    public const string StringTooLong = "string_too_long";

    /// <summary>A string field contains control characters.</summary>
    public const string ControlCharacters = "control_characters";

    /// <summary>The input was well-formed but processing it failed unexpectedly (a poison message); see the exception headers.</summary>
    public const string ProcessingError = "processing_error";

    public static readonly IReadOnlyList<string> All =
    [
        MalformedJson, EmptyPayload, PayloadTooLarge, UnsupportedSchemaVersion, UnknownEventType, MissingField,
        InvalidField, NoLines, TooManyLines, QuantityNotPositive, QuantityTooLarge, PriceNegative, InvalidCurrency,
        TimestampTooOld, TimestampInFuture, StringTooLong, ControlCharacters, ProcessingError,
    ];
}
