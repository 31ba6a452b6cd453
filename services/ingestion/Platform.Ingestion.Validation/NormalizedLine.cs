using System.Globalization;

namespace Platform.Ingestion.Validation;

/// <summary>One accepted order line, ready to produce to orders.validated.</summary>
/// <param name="Sku">The SKU, which keys the Kafka record.</param>
/// <param name="Key">The Kafka record key: the SKU's UTF-8 bytes.</param>
/// <param name="OrderId">The order the line belongs to.</param>
/// <param name="LineNumber">1-based position of the line in its order.</param>
/// <param name="Utf8Json">One serialized <see cref="Platform.Contracts.OrderLineValidated"/> (snake_case, nulls omitted).</param>
public readonly record struct NormalizedLine(string Sku, byte[] Key, string OrderId, int LineNumber, byte[] Utf8Json)
{
    /// <summary>"{order_id}:{line_number}": stable across redeliveries. Built on demand; the hot path never needs it.</summary>
    public string LineId => string.Create(CultureInfo.InvariantCulture, $"{OrderId}:{LineNumber}");
}
