namespace Platform.Ingestion.Validation;

/// <summary>One accepted order line, ready to produce to orders.validated.</summary>
/// <param name="Sku">The Kafka record key.</param>
/// <param name="LineId">"{order_id}:{line_number}", 1-based: stable across redeliveries.</param>
/// <param name="Utf8Json">One serialized <see cref="Platform.Contracts.OrderLineValidated"/> (snake_case, nulls omitted).</param>
public readonly record struct NormalizedLine(string Sku, string LineId, byte[] Utf8Json);
