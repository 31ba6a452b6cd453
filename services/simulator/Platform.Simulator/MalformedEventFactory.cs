using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts;

namespace Platform.Simulator;

/// <summary>
/// Builds payloads that ingestion must reject, one kind per <see cref="RejectionReasons"/> value except
/// processing_error. Each breaks exactly one rule of an otherwise valid order, using the validator's default
/// limits (<see cref="Limits"/>), so the expected reason is unambiguous.
/// </summary>
internal sealed class MalformedEventFactory
{
    /// <summary>The validator's default limits the payloads are built against.</summary>
    public static class Limits
    {
        public const int MaxPayloadBytes = 65_536;
        public const int MaxLines = 200;
        public const int MaxQuantity = 10_000;
        public const int MaxIdLength = 64;
        public const int MaxRegionOrChannelLength = 32;
        public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);
        public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);
    }

    /// <summary>Every reason the simulator produces: all of <see cref="RejectionReasons.All"/> but processing_error.</summary>
    public static readonly IReadOnlyList<string> Reasons =
        RejectionReasons.All.Where(r => r != RejectionReasons.ProcessingError).ToArray();

    private static readonly string[] UnknownEventTypes = ["order_refunded", "order_shipped", "order_updated", "refund"];
    private static readonly string[] InvalidCurrencies = ["EURO", "US$", "1BP", "€", "E R"];
    private static readonly char[] ControlChars = ['\u0000', '\u0001', '\u0007', '\u001b', '\n'];

    private readonly Prng _rng;
    private string[] _cycle = [];
    private int _next;

    public MalformedEventFactory(Prng rng) => _rng = rng;

    /// <summary>Reasons come in shuffled rounds of all kinds, so every kind appears after a few dozen malformed events.</summary>
    private string NextReason()
    {
        if (_next == _cycle.Length)
        {
            _cycle = [.. Reasons];
            _rng.Shuffle(_cycle);
            _next = 0;
        }

        return _cycle[_next++];
    }

    public (string Reason, byte[] Payload) Create(OrderEvent order, DateTimeOffset simulatedNow, DateTimeOffset wallAtPublish)
    {
        var reason = NextReason();
        var line0 = order.Lines[0];
        byte[] payload = reason switch
        {
            RejectionReasons.MalformedJson => MalformedJson(order),
            RejectionReasons.EmptyPayload => [],
            RejectionReasons.PayloadTooLarge => Padded(Serialize(order), Limits.MaxPayloadBytes + 1 + _rng.NextInt(20_000)),
            RejectionReasons.UnsupportedSchemaVersion => Serialize(order with { SchemaVersion = _rng.Chance(0.5) ? 2 : _rng.Chance(0.5) ? 0 : 99 }),
            RejectionReasons.UnknownEventType => Serialize(order with { EventType = UnknownEventTypes[_rng.NextInt(UnknownEventTypes.Length)] }),
            RejectionReasons.MissingField => Edit(order, o => o.Remove(_rng.Chance(0.5) ? "order_id" : "occurred_at")),
            RejectionReasons.InvalidField => InvalidField(order),
            RejectionReasons.NoLines => Serialize(order with { Lines = [] }),
            RejectionReasons.TooManyLines => Serialize(order with { Lines = ManyLines(order, Limits.MaxLines + 1 + _rng.NextInt(60)) }),
            RejectionReasons.QuantityNotPositive => WithLine0(order, line0 with { Quantity = -_rng.NextInt(0, 10) }),
            RejectionReasons.QuantityTooLarge => WithLine0(order, line0 with { Quantity = Limits.MaxQuantity + 1 + _rng.NextInt(90_000) }),
            RejectionReasons.PriceNegative => WithLine0(order, line0 with { UnitPrice = -Math.Max(0.01m, line0.UnitPrice) }),
            RejectionReasons.InvalidCurrency => Serialize(order with { Currency = InvalidCurrencies[_rng.NextInt(InvalidCurrencies.Length)] }),
            // Against the earlier of simulated and wall time, so the event is too old whatever the caller's setup.
            RejectionReasons.TimestampTooOld => Serialize(order with
            {
                OccurredAt = Millis(Min(simulatedNow, wallAtPublish) - Limits.MaxAge - TimeSpan.FromDays(1 + _rng.NextInt(300))),
            }),
            // Days ahead, so a publishing delay of hours does not make it acceptable.
            RejectionReasons.TimestampInFuture => Serialize(order with
            {
                OccurredAt = Millis(Max(simulatedNow, wallAtPublish) + TimeSpan.FromDays(1 + _rng.NextInt(30))),
            }),
            RejectionReasons.StringTooLong => StringTooLong(order),
            RejectionReasons.ControlCharacters => ControlCharacters(order),
            _ => throw new InvalidOperationException($"No malformed payload for {reason}."),
        };
        return (reason, payload);
    }

    private static byte[] Serialize(OrderEvent order) => JsonSerializer.SerializeToUtf8Bytes(order, ContractsJsonContext.Default.OrderEvent);

    private static DateTimeOffset Millis(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static byte[] WithLine0(OrderEvent order, OrderLine line) => Serialize(order with { Lines = [line, .. order.Lines.Skip(1)] });

    private byte[] MalformedJson(OrderEvent order)
    {
        var json = Serialize(order);
        return _rng.NextInt(4) switch
        {
            0 => json[..(1 + _rng.NextInt(json.Length - 2))], // truncated
            1 => Encoding.UTF8.GetBytes("order " + order.OrderId + " placed"), // not JSON
            2 => [(byte)'[', .. json, (byte)']'], // JSON, but not an object
            _ => [.. json, (byte)'}'], // trailing garbage
        };
    }

    /// <summary>Valid JSON, larger than the limit: whitespace before the closing brace.</summary>
    private static byte[] Padded(byte[] json, int size)
    {
        var padded = new byte[size];
        json.AsSpan(0, json.Length - 1).CopyTo(padded);
        padded.AsSpan(json.Length - 1, size - json.Length).Fill((byte)' ');
        padded[^1] = (byte)'}';
        return padded;
    }

    private static byte[] Edit(OrderEvent order, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(Serialize(order))!.AsObject();
        edit(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private byte[] InvalidField(OrderEvent order) => _rng.NextInt(4) switch
    {
        0 => Edit(order, o => o["occurred_at"] = "not-a-timestamp"),
        1 => Edit(order, o => o["lines"]![0]!["quantity"] = "three"),
        2 => Edit(order, o => o["lines"]![0]!["unit_price"] = "free"),
        _ => Edit(order, o => o["lines"]![0]!["quantity"] = 2.5),
    };

    private static List<OrderLine> ManyLines(OrderEvent order, int count)
    {
        var lines = new List<OrderLine>(count);
        for (var i = 0; i < count; i++)
            lines.Add(order.Lines[0] with { Sku = $"{order.Lines[0].Sku}-{i}" });
        return lines;
    }

    private byte[] StringTooLong(OrderEvent order)
    {
        string Long(string prefix, int limit) => prefix + new string('X', limit + 1 + _rng.NextInt(40) - prefix.Length);
        return _rng.NextInt(5) switch
        {
            0 => Serialize(order with { OrderId = Long(order.OrderId, Limits.MaxIdLength) }),
            1 => Serialize(order with { CustomerId = Long("C", Limits.MaxIdLength) }),
            2 => Serialize(order with { Region = Long(order.Region ?? "", Limits.MaxRegionOrChannelLength) }),
            3 => Serialize(order with { Channel = Long(order.Channel ?? "", Limits.MaxRegionOrChannelLength) }),
            _ => WithLine0(order, order.Lines[0] with { Sku = Long(order.Lines[0].Sku, Limits.MaxIdLength) }),
        };
    }

    private byte[] ControlCharacters(OrderEvent order)
    {
        var c = ControlChars[_rng.NextInt(ControlChars.Length)].ToString();
        return _rng.NextInt(3) switch
        {
            0 => WithLine0(order, order.Lines[0] with { Sku = order.Lines[0].Sku + c }),
            1 => Serialize(order with { Region = (order.Region ?? "eu-west") + c }),
            _ => Serialize(order with { CustomerId = (order.CustomerId ?? "C000001") + c }),
        };
    }
}
