using System.Text;
using System.Text.Encodings.Web;
using Platform.Contracts;

namespace Platform.Ingestion.Validation;

/// <summary>
/// Turns a validated <see cref="OrderEvent"/> into one <see cref="OrderLineValidated"/> per line, serialized by hand
/// into a reused per-thread buffer: the only allocations are the ones returned (the array, each line's key and
/// value bytes, which the Kafka client takes as arrays) and, on a cache miss, the customer hash. Thread-safe.
/// </summary>
/// <remarks>
/// <para>The bytes are exactly what <c>JsonSerializer</c> writes for the same record with
/// <c>ContractsJsonContext</c>'s options and <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>: properties in
/// declaration order, snake_case, nulls omitted, timestamps in UTC as ISO 8601 round-trip form with the fraction
/// trimmed (tests compare byte for byte). The relaxed encoder is safe because the output goes to Kafka consumers,
/// never into HTML; it keeps non-ASCII SKUs and labels readable instead of \u-escaping them.</para>
/// <para>The raw customer id is never written.</para>
/// </remarks>
public sealed class OrderNormalizer
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly CustomerIdHasher _hasher;

    public OrderNormalizer(CustomerIdHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        _hasher = hasher;
    }

    /// <summary>
    /// One <see cref="NormalizedLine"/> per order line, in order. Expects an order that <see cref="OrderValidator"/>
    /// accepted; it does not validate again.
    /// </summary>
    public NormalizedLine[] Normalize(OrderEvent order, DateTimeOffset ingestedAt)
    {
        ArgumentNullException.ThrowIfNull(order);
        var lines = order.Lines;
        var cancellation = order.EventType == OrderEventTypes.Cancelled;
        var customerHash = string.IsNullOrEmpty(order.CustomerId) ? null : _hasher.Hash(order.CustomerId);

        var scratch = t_scratch ??= new Scratch();

        // What every line shares is encoded once per order, as the runs that sit between the line's own fields:
        // {"schema_version":1,"line_id":"ID:N","order_id":"ID","line_number":N  + LineCountToSku + SKU"
        // [,"category":..],"quantity":Q,"unit_price":P  + CurrencyToHash  [,"promotion_id":..]  + Timestamps
        var common = scratch.Common;
        common.Clear();
        common.Escaped(order.OrderId);
        var orderIdEnd = common.Length;

        common.Raw(",\"line_count\":"u8);
        common.Int(lines.Count);
        common.Raw(cancellation ? ",\"kind\":\"cancellation\""u8 : ",\"kind\":\"sale\""u8);
        if (order.CancelsOrderId is not null)
        {
            common.Raw(",\"cancels_order_id\":\""u8);
            common.Escaped(order.CancelsOrderId);
            common.Byte((byte)'"');
        }

        common.Raw(",\"sku\":\""u8);
        var lineCountToSkuEnd = common.Length;

        common.Raw(",\"currency\":\""u8);
        common.UpperEscaped(order.Currency);
        common.Raw("\",\"region\":\""u8);
        WriteLabel(common, order.Region);
        common.Raw("\",\"channel\":\""u8);
        WriteLabel(common, order.Channel);
        common.Byte((byte)'"');
        if (customerHash is not null)
        {
            common.Raw(",\"customer_hash\":\""u8);
            common.Escaped(customerHash);
            common.Byte((byte)'"');
        }

        var currencyToHashEnd = common.Length;

        common.Raw(",\"occurred_at\":"u8);
        common.Timestamp(order.OccurredAt.ToUniversalTime());
        common.Raw(",\"ingested_at\":"u8);
        common.Timestamp(ingestedAt.ToUniversalTime());
        common.Byte((byte)'}');

        var orderId = common.Slice(0, orderIdEnd);
        var lineCountToSku = common.Slice(orderIdEnd, lineCountToSkuEnd - orderIdEnd);
        var currencyToHash = common.Slice(lineCountToSkuEnd, currencyToHashEnd - lineCountToSkuEnd);
        var timestamps = common.Slice(currencyToHashEnd, common.Length - currencyToHashEnd);

        var json = scratch.Line;
        var result = new NormalizedLine[lines.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var line = lines[i];
            var lineNumber = i + 1;

            json.Clear();
            json.Raw("{\"schema_version\":1,\"line_id\":\""u8);
            json.Raw(orderId);
            json.Byte((byte)':');
            json.Int(lineNumber);
            json.Raw("\",\"order_id\":\""u8);
            json.Raw(orderId);
            json.Raw("\",\"line_number\":"u8);
            json.Int(lineNumber);
            json.Raw(lineCountToSku);
            json.Escaped(line.Sku);
            json.Byte((byte)'"');
            if (line.Category is not null)
            {
                WriteCategory(json, line.Category);
            }

            json.Raw(",\"quantity\":"u8);
            json.Int(cancellation ? -line.Quantity : line.Quantity);
            json.Raw(",\"unit_price\":"u8);
            json.Decimal(line.UnitPrice);
            json.Raw(currencyToHash);
            if (line.PromotionId is not null)
            {
                json.Raw(",\"promotion_id\":\""u8);
                json.Escaped(line.PromotionId);
                json.Byte((byte)'"');
            }

            json.Raw(timestamps);
            result[i] = new NormalizedLine(line.Sku, Encoding.UTF8.GetBytes(line.Sku), order.OrderId, lineNumber, json.Written.ToArray());
        }

        return result;
    }

    /// <summary>Lower case, or "unknown" when absent or empty.</summary>
    private static void WriteLabel(Utf8JsonBuilder json, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            json.Raw("unknown"u8);
        }
        else
        {
            json.LowerEscaped(value, trim: false);
        }
    }

    /// <summary>Trimmed and lower case; omitted, like an absent one, when nothing is left.</summary>
    private static void WriteCategory(Utf8JsonBuilder json, string category)
    {
        var start = json.Length;
        json.Raw(",\"category\":\""u8);
        if (json.LowerEscaped(category, trim: true))
        {
            json.Byte((byte)'"');
        }
        else
        {
            json.Truncate(start);
        }
    }

    private sealed class Scratch
    {
        public readonly Utf8JsonBuilder Common = new(512);
        public readonly Utf8JsonBuilder Line = new(1024);
    }
}
