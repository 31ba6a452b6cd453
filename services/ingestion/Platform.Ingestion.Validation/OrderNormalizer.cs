using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Platform.Contracts;

namespace Platform.Ingestion.Validation;

/// <summary>
/// Turns a validated <see cref="OrderEvent"/> into one <see cref="OrderLineValidated"/> per line, serialized with
/// <see cref="Utf8JsonWriter"/>s over reused per-thread buffers: the only allocations are the ones returned (the
/// array, each line's id and bytes, the customer hash and any lower-cased label). Thread-safe.
/// </summary>
/// <remarks>
/// The output reads back equal through <c>ContractsJsonContext.Default.OrderLineValidated</c>: snake_case names,
/// nulls omitted, timestamps in ISO 8601 round-trip form and in UTC. The raw customer id is never written.
/// </remarks>
public sealed class OrderNormalizer
{
    private const string Unknown = "unknown";

    private static readonly JsonEncodedText SchemaVersionName = JsonEncodedText.Encode("schema_version");
    private static readonly JsonEncodedText LineIdName = JsonEncodedText.Encode("line_id");
    private static readonly JsonEncodedText OrderIdName = JsonEncodedText.Encode("order_id");
    private static readonly JsonEncodedText LineNumberName = JsonEncodedText.Encode("line_number");
    private static readonly JsonEncodedText LineCountName = JsonEncodedText.Encode("line_count");
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText CancelsOrderIdName = JsonEncodedText.Encode("cancels_order_id");
    private static readonly JsonEncodedText SkuName = JsonEncodedText.Encode("sku");
    private static readonly JsonEncodedText QuantityName = JsonEncodedText.Encode("quantity");
    private static readonly JsonEncodedText UnitPriceName = JsonEncodedText.Encode("unit_price");
    private static readonly JsonEncodedText CurrencyName = JsonEncodedText.Encode("currency");
    private static readonly JsonEncodedText RegionName = JsonEncodedText.Encode("region");
    private static readonly JsonEncodedText ChannelName = JsonEncodedText.Encode("channel");
    private static readonly JsonEncodedText CustomerHashName = JsonEncodedText.Encode("customer_hash");
    private static readonly JsonEncodedText PromotionIdName = JsonEncodedText.Encode("promotion_id");
    private static readonly JsonEncodedText OccurredAtName = JsonEncodedText.Encode("occurred_at");
    private static readonly JsonEncodedText IngestedAtName = JsonEncodedText.Encode("ingested_at");
    private static readonly JsonEncodedText SaleValue = JsonEncodedText.Encode(OrderLineKinds.Sale);
    private static readonly JsonEncodedText CancellationValue = JsonEncodedText.Encode(OrderLineKinds.Cancellation);

    // The output goes to Kafka consumers, never into HTML, so the relaxed encoder is safe here; it keeps non-ASCII
    // SKUs and labels readable instead of \u-escaping them. Validation is off because the shape below is fixed.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

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
        var kind = cancellation ? CancellationValue : SaleValue;
        var region = Label(order.Region);
        var channel = Label(order.Channel);
        var currency = ToUpper(order.Currency);
        var customerHash = string.IsNullOrEmpty(order.CustomerId) ? null : _hasher.Hash(order.CustomerId);
        var occurredAt = order.OccurredAt.ToUniversalTime();
        ingestedAt = ingestedAt.ToUniversalTime();

        var scratch = t_scratch ??= new Scratch();

        // The fields every line shares are encoded once per order; each line then costs only its own fields.
        var common = scratch.Common;
        var writer = scratch.CommonWriter;
        common.ResetWrittenCount();
        writer.Reset();
        writer.WriteStartObject();
        writer.WriteString(OrderIdName, order.OrderId);
        writer.WriteNumber(LineCountName, lines.Count);
        writer.WriteString(KindName, kind);
        if (order.CancelsOrderId is not null)
        {
            writer.WriteString(CancelsOrderIdName, order.CancelsOrderId);
        }

        writer.WriteString(CurrencyName, currency);
        writer.WriteString(RegionName, region);
        writer.WriteString(ChannelName, channel);
        if (customerHash is not null)
        {
            writer.WriteString(CustomerHashName, customerHash);
        }

        writer.WriteString(OccurredAtName, occurredAt);
        writer.WriteString(IngestedAtName, ingestedAt);
        writer.WriteEndObject();
        writer.Flush();

        // Without its opening brace: it is appended to each line's own fields.
        var commonTail = common.WrittenSpan[1..];

        var own = scratch.Line;
        writer = scratch.LineWriter;
        var result = new NormalizedLine[lines.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var line = lines[i];
            var lineNumber = i + 1;
            var lineId = string.Concat(order.OrderId, ":", lineNumber.ToString(CultureInfo.InvariantCulture));

            own.ResetWrittenCount();
            writer.Reset();
            writer.WriteStartObject();
            writer.WriteNumber(SchemaVersionName, 1);
            writer.WriteString(LineIdName, lineId);
            writer.WriteNumber(LineNumberName, lineNumber);
            writer.WriteString(SkuName, line.Sku);
            writer.WriteNumber(QuantityName, cancellation ? -line.Quantity : line.Quantity);
            writer.WriteNumber(UnitPriceName, line.UnitPrice);
            if (line.PromotionId is not null)
            {
                writer.WriteString(PromotionIdName, line.PromotionId);
            }

            writer.Flush();

            // {own fields} + "," + common fields} = one flat object.
            var head = own.WrittenSpan;
            var json = new byte[head.Length + 1 + commonTail.Length];
            head.CopyTo(json);
            json[head.Length] = (byte)',';
            commonTail.CopyTo(json.AsSpan(head.Length + 1));

            result[i] = new NormalizedLine(line.Sku, lineId, json);
        }

        return result;
    }

    private static string Label(string? value) =>
        string.IsNullOrEmpty(value) ? Unknown
        : Ascii.IsValid(value) && !value.AsSpan().ContainsAnyInRange('A', 'Z') ? value
        : value.ToLowerInvariant();

    // The validator only accepts upper-case codes; this keeps the contract for orders built in code.
    private static string ToUpper(string value) =>
        Ascii.IsValid(value) && !value.AsSpan().ContainsAnyInRange('a', 'z') ? value : value.ToUpperInvariant();

    private sealed class Scratch
    {
        public readonly ArrayBufferWriter<byte> Common = new(512);
        public readonly ArrayBufferWriter<byte> Line = new(512);
        public readonly Utf8JsonWriter CommonWriter;
        public readonly Utf8JsonWriter LineWriter;

        public Scratch()
        {
            CommonWriter = new Utf8JsonWriter(Common, WriterOptions);
            LineWriter = new Utf8JsonWriter(Line, WriterOptions);
        }
    }
}
