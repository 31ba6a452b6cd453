using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Platform.Contracts;

namespace Platform.Ingestion.Validation;

/// <summary>
/// Parses and validates one <see cref="OrderEvent"/> (schema version 1, snake_case JSON) straight off a
/// <see cref="Utf8JsonReader"/>: no reflection, no DOM. Thread-safe; one instance serves the whole process.
/// </summary>
/// <remarks>
/// <para>First failure wins, in this order (docs: RejectionReasons):</para>
/// <list type="number">
/// <item>empty_payload, payload_too_large (before parsing).</item>
/// <item>malformed_json: invalid UTF-8, not well-formed, root not an object, or trailing content. The whole
/// document is read before any field rule is applied, so a broken document is always reported as such.</item>
/// <item>unsupported_schema_version: schema_version absent, null, or anything but the number 1.</item>
/// <item>event_type: absent/null → missing_field, not a string → invalid_field, other value → unknown_event_type.</item>
/// <item>Order fields, first offender in document order: wrong JSON type, unparseable value or duplicate property →
/// invalid_field; too long → string_too_long; control characters → control_characters.</item>
/// <item>Required order fields absent, null or (for order_id) empty → missing_field, checked in the order
/// order_id, occurred_at, currency, lines.</item>
/// <item>invalid_currency, then timestamp_too_old / timestamp_in_future.</item>
/// <item>no_lines, too_many_lines.</item>
/// <item>The first failing line; within a line: its field errors as above, then sku/quantity/unit_price missing,
/// then quantity_not_positive, quantity_too_large, price_negative, unit_price above the maximum (invalid_field).</item>
/// </list>
/// <para>Choices: property names are case-sensitive; unknown properties are skipped (forward compatibility);
/// a known property given twice is rejected as invalid_field (rather than last-wins, so that no two parsers can
/// read one payload differently); empty optional strings count as absent; lower-case currency codes are rejected
/// as invalid_currency (the contract says upper case); occurred_at must carry an explicit offset (Z or ±hh:mm)
/// because a timestamp without one would be read in the server's local time.</para>
/// </remarks>
public sealed class OrderValidator
{
    // C0 controls, DEL and C1 controls. JSON already forbids raw C0 in strings, but allows them escaped.
    private static readonly SearchValues<char> s_controlCharacters = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F");

    // What the fast path takes as a string's content as-is: printable ASCII but the quote and the backslash.
    private static readonly SearchValues<byte> s_plainStringBytes = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    [ThreadStatic]
    private static OrderLine[]? t_lineScratch;

    private readonly TimeProvider _time;
    private readonly int _maxPayloadBytes;
    private readonly int _maxLines;
    private readonly int _maxQuantityPerLine;
    private readonly decimal _maxUnitPrice;
    private readonly int _maxIdLength;
    private readonly int _maxLabelLength;
    private readonly TimeSpan _maxEventAge;
    private readonly TimeSpan _maxFutureSkew;

    /// <summary>Tests turn the fast path off to compare it with the reader-based path.</summary>
    internal bool FastPathEnabled { get; init; } = true;

    /// <summary>Takes a snapshot of <paramref name="limits"/>; throws <see cref="ArgumentException"/> when one is out of range.</summary>
    public OrderValidator(IngestionLimits limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        limits.EnsureValid();
        _time = time;
        _maxPayloadBytes = limits.MaxPayloadBytes;
        _maxLines = limits.MaxLines;
        _maxQuantityPerLine = limits.MaxQuantityPerLine;
        _maxUnitPrice = limits.MaxUnitPrice;
        _maxIdLength = limits.MaxIdLength;
        _maxLabelLength = limits.MaxLabelLength;
        _maxEventAge = limits.MaxEventAge;
        _maxFutureSkew = limits.MaxFutureSkew;
    }

    /// <summary>
    /// Parses the UTF-8 JSON of one order event and validates it. Never throws for any input: every rejected
    /// payload yields a <see cref="Rejection"/> whose reason is a <see cref="RejectionReasons"/> constant.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out OrderEvent? order, out Rejection rejection)
    {
        order = null;
        if (utf8Json.IsEmpty)
        {
            rejection = new(RejectionReasons.EmptyPayload, "The payload is empty.", null, null);
            return false;
        }

        if (utf8Json.Length > _maxPayloadBytes)
        {
            rejection = new(
                RejectionReasons.PayloadTooLarge,
                $"The payload is {utf8Json.Length} bytes; the limit is {_maxPayloadBytes}.",
                null,
                null);
            return false;
        }

        // Utf8JsonReader does not check the UTF-8 of skipped values; one vectorized pass over the bytes does,
        // and guarantees that GetString cannot throw further down.
        if (!Utf8.IsValid(utf8Json))
        {
            rejection = new(RejectionReasons.MalformedJson, "The payload is not valid UTF-8.", null, null);
            return false;
        }

        // Nearly every payload is a plain, valid order: one pass over the bytes accepts it, or gives up and leaves
        // it to the reader below, which then produces every rejection (and every acceptance the fast path declines).
        if (FastPathEnabled && TryParseFast(utf8Json, out order))
        {
            rejection = default;
            return true;
        }

        var state = new ParseState();
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                rejection = new(RejectionReasons.MalformedJson, "The payload is not a JSON object.", null, null);
                return false;
            }

            ReadOrder(ref reader, ref state);

            // Throws on anything but whitespace after the root object.
            reader.Read();
        }
        catch (InvalidOperationException)
        {
            // An unpaired surrogate escape in a property name or a date: not text, so not JSON we can read.
            rejection = new(RejectionReasons.MalformedJson, "The payload escapes an unpaired UTF-16 surrogate.", null, null);
            return false;
        }
        catch (JsonException e)
        {
            rejection = new(
                RejectionReasons.MalformedJson,
                $"The payload is not well-formed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).",
                null,
                null);
            return false;
        }

        return Evaluate(ref state, out order, out rejection);
    }

    /// <summary>
    /// The fast path: accepts only a well-formed order that passes every rule, written in the plain form that
    /// order systems send (printable-ASCII strings without escapes, no nulls, empty strings or unknown properties,
    /// plain numbers), and builds exactly the <see cref="OrderEvent"/> the reader-based path would build. Anything
    /// else, valid or not, returns false before any state is kept, and the reader-based path decides. Dates and
    /// prices go through the same parsers as <see cref="Utf8JsonReader.TryGetDateTimeOffset(out DateTimeOffset)"/>
    /// and <see cref="Utf8JsonReader.TryGetDecimal(out decimal)"/>; tests compare both paths on mutated payloads.
    /// </summary>
    internal bool TryParseFast(ReadOnlySpan<byte> json, [NotNullWhen(true)] out OrderEvent? order)
    {
        order = null;
        var pos = SkipWhiteSpace(json, 0);
        if (pos >= json.Length || json[pos] != (byte)'{')
        {
            return false;
        }

        pos++;
        OrderField seen = 0;
        string? eventType = null, orderId = null, customerId = null, cancelsOrderId = null, region = null, channel = null, currency = null;
        var occurredAt = default(DateTimeOffset);
        var lineCount = 0;
        while (true)
        {
            if (!TryReadName(json, ref pos, out var name))
            {
                return Abandon(lineCount);
            }

            var field = ClassifyOrderProperty(name);
            if (field == OrderField.Unknown || (seen & field) != 0)
            {
                return Abandon(lineCount);
            }

            seen |= field;
            ReadOnlySpan<byte> text;
            switch (field)
            {
                case OrderField.SchemaVersion:
                    if (pos >= json.Length || json[pos] != (byte)'1')
                    {
                        return Abandon(lineCount);
                    }

                    pos++;
                    break;
                case OrderField.EventType:
                    if (!TryReadPlainString(json, ref pos, int.MaxValue, out text))
                    {
                        return Abandon(lineCount);
                    }

                    eventType = text.SequenceEqual("order_placed"u8) ? OrderEventTypes.Placed
                        : text.SequenceEqual("order_cancelled"u8) ? OrderEventTypes.Cancelled
                        : null;
                    if (eventType is null)
                    {
                        return Abandon(lineCount);
                    }

                    break;
                case OrderField.OrderId:
                case OrderField.CustomerId:
                case OrderField.CancelsOrderId:
                case OrderField.Region:
                case OrderField.Channel:
                    var maxLength = field is OrderField.Region or OrderField.Channel ? _maxLabelLength : _maxIdLength;
                    if (!TryReadPlainString(json, ref pos, maxLength, out text))
                    {
                        return Abandon(lineCount);
                    }

                    // Regions and channels repeat across nearly every order: reuse their strings.
                    var value = field is OrderField.Region or OrderField.Channel ? RecentLabels.Get(text) : Encoding.ASCII.GetString(text);
                    switch (field)
                    {
                        case OrderField.OrderId: orderId = value; break;
                        case OrderField.CustomerId: customerId = value; break;
                        case OrderField.CancelsOrderId: cancelsOrderId = value; break;
                        case OrderField.Region: region = value; break;
                        default: channel = value; break;
                    }

                    break;
                case OrderField.OccurredAt:
                    var start = pos;
                    if (!TryReadPlainString(json, ref pos, int.MaxValue, out text))
                    {
                        return Abandon(lineCount);
                    }

                    // The quoted token alone, read by the reader itself: its own ISO 8601 rules, unchanged.
                    var dateReader = new Utf8JsonReader(json[start..pos]);
                    if (!dateReader.Read() || !dateReader.TryGetDateTimeOffset(out occurredAt) || !HasExplicitOffset(text))
                    {
                        return Abandon(lineCount);
                    }

                    break;
                case OrderField.Currency:
                    if (!TryReadPlainString(json, ref pos, int.MaxValue, out text) || (currency = CurrencyCodes.Find(text)) is null)
                    {
                        return Abandon(lineCount);
                    }

                    break;
                case OrderField.Lines:
                    if (!TryReadLinesFast(json, ref pos, ref lineCount))
                    {
                        return Abandon(lineCount);
                    }

                    break;
            }

            pos = SkipWhiteSpace(json, pos);
            if (pos >= json.Length)
            {
                return Abandon(lineCount);
            }

            if (json[pos] == (byte)',')
            {
                pos++;
                continue;
            }

            if (json[pos] != (byte)'}')
            {
                return Abandon(lineCount);
            }

            pos++;
            break;
        }

        const OrderField Required = OrderField.SchemaVersion | OrderField.EventType | OrderField.OrderId |
            OrderField.OccurredAt | OrderField.Currency | OrderField.Lines;
        if ((seen & Required) != Required || SkipWhiteSpace(json, pos) != json.Length || !CheckTime(occurredAt, orderId!, out _))
        {
            return Abandon(lineCount);
        }

        order = new OrderEvent
        {
            SchemaVersion = 1,
            EventType = eventType!,
            OrderId = orderId!,
            CancelsOrderId = cancelsOrderId,
            CustomerId = customerId,
            OccurredAt = occurredAt,
            Currency = currency!,
            Region = region,
            Channel = channel,
            Lines = TakeLines(lineCount),
        };
        return true;
    }

    /// <summary>Forgets the lines the fast path collected (so the scratch does not keep them alive); false.</summary>
    private static bool Abandon(int lineCount)
    {
        if (lineCount > 0)
        {
            Array.Clear(t_lineScratch!, 0, lineCount);
        }

        return false;
    }

    /// <summary>At <paramref name="pos"/>: a non-empty array of lines, each one valid. Leaves pos after the ']'.</summary>
    private bool TryReadLinesFast(ReadOnlySpan<byte> json, ref int pos, ref int lineCount)
    {
        if (pos >= json.Length || json[pos] != (byte)'[')
        {
            return false;
        }

        pos++;
        while (true)
        {
            pos = SkipWhiteSpace(json, pos);
            if (lineCount >= _maxLines || !TryReadLineFast(json, ref pos, out var line))
            {
                return false;
            }

            var scratch = t_lineScratch ??= new OrderLine[16];
            if (lineCount == scratch.Length)
            {
                Array.Resize(ref t_lineScratch, scratch.Length * 2);
                scratch = t_lineScratch;
            }

            scratch[lineCount++] = line;
            pos = SkipWhiteSpace(json, pos);
            if (pos >= json.Length)
            {
                return false;
            }

            if (json[pos] == (byte)',')
            {
                pos++;
                continue;
            }

            if (json[pos] != (byte)']')
            {
                return false;
            }

            pos++;
            return true;
        }
    }

    private bool TryReadLineFast(ReadOnlySpan<byte> json, ref int pos, [NotNullWhen(true)] out OrderLine? line)
    {
        line = null;
        if (pos >= json.Length || json[pos] != (byte)'{')
        {
            return false;
        }

        pos++;
        LineField seen = 0;
        string? sku = null, promotionId = null, category = null;
        var quantity = 0;
        decimal unitPrice = 0;
        while (true)
        {
            if (!TryReadName(json, ref pos, out var name))
            {
                return false;
            }

            var field = ClassifyLineProperty(name);
            if (field == LineField.Unknown || (seen & field) != 0)
            {
                return false;
            }

            seen |= field;
            switch (field)
            {
                case LineField.Quantity:
                    if (!TryReadQuantity(json, ref pos, out quantity))
                    {
                        return false;
                    }

                    break;
                case LineField.UnitPrice:
                    if (!TryReadPrice(json, ref pos, out unitPrice))
                    {
                        return false;
                    }

                    break;
                default:
                    if (!TryReadPlainString(json, ref pos, _maxIdLength, out var text))
                    {
                        return false;
                    }

                    // Categories are few and repeat: reuse their strings.
                    var value = field == LineField.Category ? RecentLabels.Get(text) : Encoding.ASCII.GetString(text);
                    if (field == LineField.Sku)
                    {
                        sku = value;
                    }
                    else if (field == LineField.PromotionId)
                    {
                        promotionId = value;
                    }
                    else
                    {
                        category = value;
                    }

                    break;
            }

            pos = SkipWhiteSpace(json, pos);
            if (pos >= json.Length)
            {
                return false;
            }

            if (json[pos] == (byte)',')
            {
                pos++;
                continue;
            }

            if (json[pos] != (byte)'}')
            {
                return false;
            }

            pos++;
            break;
        }

        const LineField Required = LineField.Sku | LineField.Quantity | LineField.UnitPrice;
        if ((seen & Required) != Required || quantity > _maxQuantityPerLine || unitPrice > _maxUnitPrice)
        {
            return false;
        }

        line = new OrderLine { Sku = sku!, Quantity = quantity, UnitPrice = unitPrice, PromotionId = promotionId, Category = category };
        return true;
    }

    /// <summary>White space, a property name without escapes, white space, ':' and white space. The name's bytes.</summary>
    private static bool TryReadName(ReadOnlySpan<byte> json, scoped ref int pos, out ReadOnlySpan<byte> name)
    {
        name = default;
        pos = SkipWhiteSpace(json, pos);
        if (pos >= json.Length || json[pos] != (byte)'"')
        {
            return false;
        }

        var rest = json[(pos + 1)..];
        var end = rest.IndexOfAnyExcept(s_plainStringBytes);
        if (end < 0 || rest[end] != (byte)'"')
        {
            return false;
        }

        name = rest[..end];
        pos = SkipWhiteSpace(json, pos + end + 2);
        if (pos >= json.Length || json[pos] != (byte)':')
        {
            return false;
        }

        pos = SkipWhiteSpace(json, pos + 1);
        return true;
    }

    /// <summary>
    /// A non-empty string of printable ASCII without escapes (so no control characters either), at most
    /// <paramref name="maxLength"/> long: its bytes are its characters. Leaves pos after the closing quote.
    /// </summary>
    private static bool TryReadPlainString(ReadOnlySpan<byte> json, scoped ref int pos, int maxLength, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (pos >= json.Length || json[pos] != (byte)'"')
        {
            return false;
        }

        var rest = json[(pos + 1)..];
        var end = rest.IndexOfAnyExcept(s_plainStringBytes);
        if (end <= 0 || end > maxLength || rest[end] != (byte)'"')
        {
            return false;
        }

        text = rest[..end];
        pos += end + 2;
        return true;
    }

    /// <summary>A whole number from 1 to 999,999,999 without sign, fraction or exponent.</summary>
    private static bool TryReadQuantity(ReadOnlySpan<byte> json, ref int pos, out int quantity)
    {
        quantity = 0;
        var digits = 0;
        while (pos < json.Length && (uint)(json[pos] - '0') <= 9)
        {
            quantity = quantity * 10 + (json[pos] - '0');
            pos++;
            if (++digits > 9)
            {
                return false;
            }
        }

        // A leading zero (0, 01, ...) is either not positive or not JSON; a '.', 'e' or '-' is left for the caller
        // to refuse as an unexpected byte.
        return digits > 0 && json[pos - digits] != (byte)'0';
    }

    /// <summary>A non-negative number with an optional fraction and no exponent, parsed as the reader parses it.</summary>
    private static bool TryReadPrice(ReadOnlySpan<byte> json, ref int pos, out decimal price)
    {
        price = 0;
        var start = pos;
        var integerDigits = CountDigits(json, pos);
        if (integerDigits == 0 || (integerDigits > 1 && json[pos] == (byte)'0'))
        {
            return false;
        }

        pos += integerDigits;
        if (pos < json.Length && json[pos] == (byte)'.')
        {
            var fractionDigits = CountDigits(json, pos + 1);
            if (fractionDigits == 0)
            {
                return false;
            }

            pos += 1 + fractionDigits;
        }

        // An exponent is left for the caller to refuse. Up to 18 digits fit a long: the decimal is that mantissa
        // with the fraction's digits as its scale, which is what the reader's parser gives (trailing zeros kept).
        var token = json[start..pos];
        if (token.Length > 18)
        {
            return false;
        }

        long mantissa = 0;
        var scale = 0;
        foreach (var b in token)
        {
            if (b == (byte)'.')
            {
                scale = token.Length - integerDigits - 1;
                continue;
            }

            mantissa = mantissa * 10 + (b - '0');
        }

        if (mantissa == 0)
        {
            // Zero's scale is the parser's business.
            return Utf8Parser.TryParse(token, out price, out var consumed) && consumed == token.Length;
        }

        price = new decimal((int)mantissa, (int)(mantissa >> 32), 0, false, (byte)scale);
        return true;
    }

    private static int CountDigits(ReadOnlySpan<byte> json, int pos)
    {
        var count = json[pos..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        return count < 0 ? json.Length - pos : count;
    }

    private static int SkipWhiteSpace(ReadOnlySpan<byte> json, int pos)
    {
        while (pos < json.Length && json[pos] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            pos++;
        }

        return pos;
    }

    private void ReadOrder(ref Utf8JsonReader reader, ref ParseState s)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = ClassifyOrderProperty(ref reader);
            reader.Read();
            if (field == OrderField.Unknown)
            {
                reader.Skip();
                continue;
            }

            if ((s.Seen & field) != 0)
            {
                s.Top.Set(RejectionReasons.InvalidField, "The property appears more than once.", OrderFieldPath(field));
                reader.Skip();
                continue;
            }

            s.Seen |= field;
            switch (field)
            {
                case OrderField.SchemaVersion:
                    s.SchemaVersionOk = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var version) && version == 1;
                    reader.Skip();
                    break;
                case OrderField.EventType:
                    ReadEventType(ref reader, ref s);
                    break;
                case OrderField.OrderId:
                    s.OrderId = ReadOrderString(ref reader, ref s, field, _maxIdLength);
                    break;
                case OrderField.CustomerId:
                    s.CustomerId = ReadOrderString(ref reader, ref s, field, _maxIdLength);
                    break;
                case OrderField.CancelsOrderId:
                    s.CancelsOrderId = ReadOrderString(ref reader, ref s, field, _maxIdLength);
                    break;
                case OrderField.Region:
                    s.Region = ReadOrderString(ref reader, ref s, field, _maxLabelLength);
                    break;
                case OrderField.Channel:
                    s.Channel = ReadOrderString(ref reader, ref s, field, _maxLabelLength);
                    break;
                case OrderField.OccurredAt:
                    ReadOccurredAt(ref reader, ref s);
                    break;
                case OrderField.Currency:
                    ReadCurrency(ref reader, ref s);
                    break;
                case OrderField.Lines:
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        s.HasLines = true;
                        ReadLines(ref reader, ref s);
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        s.Top.Set(RejectionReasons.InvalidField, "lines must be an array.", "$.lines");
                        reader.Skip();
                    }

                    break;
            }
        }
    }

    private static void ReadEventType(ref Utf8JsonReader reader, ref ParseState s)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.String:
                s.EventType = reader.ValueTextEquals("order_placed"u8) ? OrderEventTypes.Placed
                    : reader.ValueTextEquals("order_cancelled"u8) ? OrderEventTypes.Cancelled
                    : "";
                return;
            default:
                s.EventTypeWrongType = true;
                reader.Skip();
                return;
        }
    }

    private static void ReadOccurredAt(ref Utf8JsonReader reader, ref ParseState s)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.String when reader.TryGetDateTimeOffset(out var value) && HasExplicitOffset(ref reader):
                s.OccurredAt = value;
                s.HasOccurredAt = true;
                return;
            default:
                s.Top.Set(
                    RejectionReasons.InvalidField,
                    "occurred_at must be an ISO 8601 date and time with an offset, such as 2026-11-27T13:05:00Z.",
                    "$.occurred_at");
                reader.Skip();
                return;
        }
    }

    /// <summary>True when the time part ends in Z or ±hh:mm (a date-time without one would be read as local time).</summary>
    private static bool HasExplicitOffset(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? HasExplicitOffsetEscaped(ref reader) : HasExplicitOffset(reader.ValueSpan);

    private static bool HasExplicitOffset(ReadOnlySpan<byte> text)
    {
        var t = text.IndexOf((byte)'T');
        return t >= 0 && text[(t + 1)..].IndexOfAny((byte)'Z', (byte)'+', (byte)'-') >= 0;
    }

    // Kept apart so that the common, unescaped case does not pay for zeroing the buffer.
    private static bool HasExplicitOffsetEscaped(ref Utf8JsonReader reader)
    {
        // TryGetDateTimeOffset succeeded, so the value is short (the reader caps it at a few hundred bytes).
        Span<byte> buffer = stackalloc byte[256];
        return reader.ValueSpan.Length <= buffer.Length && HasExplicitOffset(buffer[..reader.CopyString(buffer)]);
    }

    private static void ReadCurrency(ref Utf8JsonReader reader, ref ParseState s)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.String:
                s.HasCurrency = true;
                if (!reader.ValueIsEscaped)
                {
                    s.Currency = CurrencyCodes.Find(reader.ValueSpan);
                }
                else if (reader.ValueSpan.Length <= 18)
                {
                    Span<byte> buffer = stackalloc byte[18];
                    s.Currency = CurrencyCodes.Find(buffer[..reader.CopyString(buffer)]);
                }

                return;
            default:
                s.Top.Set(RejectionReasons.InvalidField, "currency must be a string.", "$.currency");
                reader.Skip();
                return;
        }
    }

    private static string? ReadOrderString(ref Utf8JsonReader reader, ref ParseState s, OrderField field, int maxLength)
    {
        var result = ReadString(ref reader, maxLength, out var value);
        if (result != StringResult.Ok && result != StringResult.Null)
        {
            s.Top.Set(result, OrderFieldPath(field), maxLength);
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    private void ReadLines(ref Utf8JsonReader reader, ref ParseState s)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // Past the limit, or once a line has failed, the rest is only read for well-formedness.
            if (index >= _maxLines || s.Line.Reason is not null)
            {
                reader.Skip();
            }
            else if (reader.TokenType != JsonTokenType.StartObject)
            {
                s.Line.Set(RejectionReasons.InvalidField, "Each line must be a JSON object.", $"$.lines[{index}]");
                reader.Skip();
            }
            else
            {
                ReadLine(ref reader, ref s, index);
            }

            index++;
        }

        s.LineCount = index;
    }

    private void ReadLine(ref Utf8JsonReader reader, ref ParseState s, int index)
    {
        LineField seen = 0;
        Problem problem = default;
        string? sku = null, promotionId = null, category = null;
        int quantity = 0;
        decimal unitPrice = 0;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = ClassifyLineProperty(ref reader);
            reader.Read();
            if (field == LineField.Unknown)
            {
                reader.Skip();
                continue;
            }

            if ((seen & field) != 0)
            {
                problem.Set(RejectionReasons.InvalidField, "The property appears more than once.", LineFieldPath(index, field));
                reader.Skip();
                continue;
            }

            seen |= field;
            switch (field)
            {
                case LineField.Sku:
                case LineField.PromotionId:
                case LineField.Category:
                    var result = ReadString(ref reader, _maxIdLength, out var value);
                    if (result is StringResult.Null || (result is StringResult.Ok && value!.Length == 0))
                    {
                        seen &= ~field;
                    }
                    else if (result != StringResult.Ok)
                    {
                        problem.Set(result, LineFieldPath(index, field), _maxIdLength);
                    }
                    else if (field == LineField.Sku)
                    {
                        sku = value;
                    }
                    else if (field == LineField.PromotionId)
                    {
                        promotionId = value;
                    }
                    else
                    {
                        category = value;
                    }

                    break;
                case LineField.Quantity:
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        seen &= ~field;
                    }
                    else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out quantity))
                    {
                        problem.Set(RejectionReasons.InvalidField, "quantity must be a whole number.", LineFieldPath(index, field));
                        reader.Skip();
                    }

                    break;
                case LineField.UnitPrice:
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        seen &= ~field;
                    }
                    else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out unitPrice))
                    {
                        problem.Set(RejectionReasons.InvalidField, "unit_price must be a number in decimal range.", LineFieldPath(index, field));
                        reader.Skip();
                    }

                    break;
            }
        }

        if (problem.Reason is not null)
        {
            s.Line = problem;
        }
        else if ((seen & LineField.Sku) == 0)
        {
            s.Line.Set(RejectionReasons.MissingField, "sku is required and must not be empty.", LineFieldPath(index, LineField.Sku));
        }
        else if ((seen & LineField.Quantity) == 0)
        {
            s.Line.Set(RejectionReasons.MissingField, "quantity is required.", LineFieldPath(index, LineField.Quantity));
        }
        else if ((seen & LineField.UnitPrice) == 0)
        {
            s.Line.Set(RejectionReasons.MissingField, "unit_price is required.", LineFieldPath(index, LineField.UnitPrice));
        }
        else if (quantity <= 0)
        {
            s.Line.Set(RejectionReasons.QuantityNotPositive, "quantity must be positive; the event type gives the sign.", LineFieldPath(index, LineField.Quantity));
        }
        else if (quantity > _maxQuantityPerLine)
        {
            s.Line.Set(RejectionReasons.QuantityTooLarge, $"quantity exceeds the limit of {_maxQuantityPerLine}.", LineFieldPath(index, LineField.Quantity));
        }
        else if (unitPrice < 0)
        {
            s.Line.Set(RejectionReasons.PriceNegative, "unit_price must not be negative.", LineFieldPath(index, LineField.UnitPrice));
        }
        else if (unitPrice > _maxUnitPrice)
        {
            s.Line.Set(RejectionReasons.InvalidField, $"unit_price exceeds the limit of {_maxUnitPrice}.", LineFieldPath(index, LineField.UnitPrice));
        }
        else
        {
            var scratch = t_lineScratch ??= new OrderLine[16];
            if (index == scratch.Length)
            {
                Array.Resize(ref t_lineScratch, scratch.Length * 2);
                scratch = t_lineScratch;
            }

            scratch[index] = new OrderLine { Sku = sku!, Quantity = quantity, UnitPrice = unitPrice, PromotionId = promotionId, Category = category };
        }
    }

    private bool Evaluate(ref ParseState s, [NotNullWhen(true)] out OrderEvent? order, out Rejection rejection)
    {
        order = null;
        var orderId = s.OrderId;
        if (!s.SchemaVersionOk)
        {
            rejection = new(RejectionReasons.UnsupportedSchemaVersion, "schema_version must be 1.", "$.schema_version", orderId);
        }
        else if (s.EventTypeWrongType)
        {
            rejection = new(RejectionReasons.InvalidField, "event_type must be a string.", "$.event_type", orderId);
        }
        else if (s.EventType is null)
        {
            rejection = new(RejectionReasons.MissingField, "event_type is required.", "$.event_type", orderId);
        }
        else if (s.EventType.Length == 0)
        {
            rejection = new(RejectionReasons.UnknownEventType, "event_type must be order_placed or order_cancelled.", "$.event_type", orderId);
        }
        else if (s.Top.Reason is not null)
        {
            rejection = s.Top.ToRejection(orderId);
        }
        else if (orderId is null)
        {
            rejection = new(RejectionReasons.MissingField, "order_id is required and must not be empty.", "$.order_id", null);
        }
        else if (!s.HasOccurredAt)
        {
            rejection = new(RejectionReasons.MissingField, "occurred_at is required.", "$.occurred_at", orderId);
        }
        else if (!s.HasCurrency)
        {
            rejection = new(RejectionReasons.MissingField, "currency is required.", "$.currency", orderId);
        }
        else if (!s.HasLines)
        {
            rejection = new(RejectionReasons.MissingField, "lines is required.", "$.lines", orderId);
        }
        else if (s.Currency is null)
        {
            rejection = new(RejectionReasons.InvalidCurrency, "currency must be an active ISO 4217 code in upper case, such as EUR.", "$.currency", orderId);
        }
        else if (!CheckTime(s.OccurredAt, orderId, out rejection))
        {
        }
        else if (s.LineCount == 0)
        {
            rejection = new(RejectionReasons.NoLines, "The order has no lines.", "$.lines", orderId);
        }
        else if (s.LineCount > _maxLines)
        {
            rejection = new(RejectionReasons.TooManyLines, $"The order has {s.LineCount} lines; the limit is {_maxLines}.", "$.lines", orderId);
        }
        else if (s.Line.Reason is not null)
        {
            rejection = s.Line.ToRejection(orderId);
        }
        else
        {
            order = new OrderEvent
            {
                SchemaVersion = 1,
                EventType = s.EventType,
                OrderId = orderId,
                CancelsOrderId = s.CancelsOrderId,
                CustomerId = s.CustomerId,
                OccurredAt = s.OccurredAt,
                Currency = s.Currency,
                Region = s.Region,
                Channel = s.Channel,
                Lines = TakeLines(s.LineCount),
            };
            rejection = default;
            return true;
        }

        if (s.LineCount > 0 && t_lineScratch is { } scratch)
        {
            Array.Clear(scratch, 0, Math.Min(s.LineCount, scratch.Length));
        }

        return false;
    }

    private bool CheckTime(DateTimeOffset occurredAt, string orderId, out Rejection rejection)
    {
        var now = _time.GetUtcNow();
        if (occurredAt < now - _maxEventAge)
        {
            rejection = new(RejectionReasons.TimestampTooOld, $"occurred_at is more than {_maxEventAge} in the past.", "$.occurred_at", orderId);
            return false;
        }

        if (occurredAt > now + _maxFutureSkew)
        {
            rejection = new(RejectionReasons.TimestampInFuture, $"occurred_at is more than {_maxFutureSkew} in the future.", "$.occurred_at", orderId);
            return false;
        }

        rejection = default;
        return true;
    }

    private static OrderLine[] TakeLines(int count)
    {
        var scratch = t_lineScratch!;
        var lines = new OrderLine[count];
        Array.Copy(scratch, lines, count);

        // Do not keep the order's lines alive from the thread-static scratch.
        Array.Clear(scratch, 0, count);
        return lines;
    }

    private static StringResult ReadString(ref Utf8JsonReader reader, int maxLength, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return StringResult.Null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return StringResult.WrongType;
        }

        // One UTF-16 code unit takes at most 6 bytes of JSON ("\uXXXX"): longer raw text is too long without decoding it.
        if (reader.ValueSpan.Length > maxLength * 6L)
        {
            return StringResult.TooLong;
        }

        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // A \u escape that leaves a lone surrogate: legal JSON syntax, but no valid text.
            reader.Skip();
            return StringResult.InvalidText;
        }

        if (text.Length > maxLength)
        {
            return StringResult.TooLong;
        }

        if (text.AsSpan().ContainsAny(s_controlCharacters))
        {
            return StringResult.ControlCharacters;
        }

        value = text;
        return StringResult.Ok;
    }

    private static OrderField ClassifyOrderProperty(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return ClassifyOrderProperty(reader.ValueSpan);
        }

        Span<byte> buffer = stackalloc byte[128];
        return reader.ValueSpan.Length <= buffer.Length
            ? ClassifyOrderProperty(buffer[..reader.CopyString(buffer)])
            : OrderField.Unknown;
    }

    private static OrderField ClassifyOrderProperty(ReadOnlySpan<byte> name) => name.Length switch
    {
        5 when name.SequenceEqual("lines"u8) => OrderField.Lines,
        6 when name.SequenceEqual("region"u8) => OrderField.Region,
        7 when name.SequenceEqual("channel"u8) => OrderField.Channel,
        8 when name.SequenceEqual("order_id"u8) => OrderField.OrderId,
        8 when name.SequenceEqual("currency"u8) => OrderField.Currency,
        10 when name.SequenceEqual("event_type"u8) => OrderField.EventType,
        11 when name.SequenceEqual("customer_id"u8) => OrderField.CustomerId,
        11 when name.SequenceEqual("occurred_at"u8) => OrderField.OccurredAt,
        14 when name.SequenceEqual("schema_version"u8) => OrderField.SchemaVersion,
        16 when name.SequenceEqual("cancels_order_id"u8) => OrderField.CancelsOrderId,
        _ => OrderField.Unknown,
    };

    private static LineField ClassifyLineProperty(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return ClassifyLineProperty(reader.ValueSpan);
        }

        Span<byte> buffer = stackalloc byte[128];
        return reader.ValueSpan.Length <= buffer.Length
            ? ClassifyLineProperty(buffer[..reader.CopyString(buffer)])
            : LineField.Unknown;
    }

    private static LineField ClassifyLineProperty(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("sku"u8) => LineField.Sku,
        8 when name.SequenceEqual("quantity"u8) => LineField.Quantity,
        8 when name.SequenceEqual("category"u8) => LineField.Category,
        10 when name.SequenceEqual("unit_price"u8) => LineField.UnitPrice,
        12 when name.SequenceEqual("promotion_id"u8) => LineField.PromotionId,
        _ => LineField.Unknown,
    };

    private static string OrderFieldPath(OrderField field) => field switch
    {
        OrderField.SchemaVersion => "$.schema_version",
        OrderField.EventType => "$.event_type",
        OrderField.OrderId => "$.order_id",
        OrderField.CustomerId => "$.customer_id",
        OrderField.CancelsOrderId => "$.cancels_order_id",
        OrderField.OccurredAt => "$.occurred_at",
        OrderField.Currency => "$.currency",
        OrderField.Region => "$.region",
        OrderField.Channel => "$.channel",
        OrderField.Lines => "$.lines",
        _ => "$",
    };

    private static string LineFieldPath(int index, LineField field) => field switch
    {
        LineField.Sku => $"$.lines[{index}].sku",
        LineField.Quantity => $"$.lines[{index}].quantity",
        LineField.UnitPrice => $"$.lines[{index}].unit_price",
        LineField.PromotionId => $"$.lines[{index}].promotion_id",
        LineField.Category => $"$.lines[{index}].category",
        _ => $"$.lines[{index}]",
    };

    [Flags]
    private enum OrderField
    {
        Unknown = 0,
        SchemaVersion = 1 << 0,
        EventType = 1 << 1,
        OrderId = 1 << 2,
        CustomerId = 1 << 3,
        CancelsOrderId = 1 << 4,
        OccurredAt = 1 << 5,
        Currency = 1 << 6,
        Region = 1 << 7,
        Channel = 1 << 8,
        Lines = 1 << 9,
    }

    [Flags]
    private enum LineField
    {
        Unknown = 0,
        Sku = 1 << 0,
        Quantity = 1 << 1,
        UnitPrice = 1 << 2,
        PromotionId = 1 << 3,
        Category = 1 << 4,
    }

    private enum StringResult
    {
        Ok,
        Null,
        WrongType,
        InvalidText,
        TooLong,
        ControlCharacters,
    }

    /// <summary>The first problem found in one scope; later ones are ignored. Strings are only built on failure.</summary>
    private struct Problem
    {
        public string? Reason;
        public string Detail;
        public string? Field;

        public void Set(string reason, string detail, string field)
        {
            if (Reason is null)
            {
                Reason = reason;
                Detail = detail;
                Field = field;
            }
        }

        public void Set(StringResult result, string field, int maxLength)
        {
            switch (result)
            {
                case StringResult.WrongType:
                    Set(RejectionReasons.InvalidField, "The value must be a string.", field);
                    break;
                case StringResult.InvalidText:
                    Set(RejectionReasons.InvalidField, "The value escapes an unpaired UTF-16 surrogate.", field);
                    break;
                case StringResult.TooLong:
                    Set(RejectionReasons.StringTooLong, $"The value is longer than {maxLength} characters.", field);
                    break;
                case StringResult.ControlCharacters:
                    Set(RejectionReasons.ControlCharacters, "The value contains control characters.", field);
                    break;
            }
        }

        public readonly Rejection ToRejection(string? orderId) => new(Reason!, Detail, Field, orderId);
    }

    private struct ParseState
    {
        public OrderField Seen;
        public bool SchemaVersionOk;
        public bool EventTypeWrongType;

        /// <summary>null when absent, "" when not a known type, else the interned constant.</summary>
        public string? EventType;
        public string? OrderId;
        public string? CustomerId;
        public string? CancelsOrderId;
        public string? Region;
        public string? Channel;
        public bool HasOccurredAt;
        public DateTimeOffset OccurredAt;
        public bool HasCurrency;

        /// <summary>The interned code when it is active, else null.</summary>
        public string? Currency;
        public bool HasLines;
        public int LineCount;
        public Problem Top;
        public Problem Line;
    }
}
