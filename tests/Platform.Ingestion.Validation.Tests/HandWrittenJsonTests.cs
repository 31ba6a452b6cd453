using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Platform.Contracts;
using static Platform.Ingestion.Validation.Tests.Payloads;

namespace Platform.Ingestion.Validation.Tests;

/// <summary>
/// The normalizer writes JSON by hand. These tests hold it to System.Text.Json: for random orders (strings with
/// quotes, backslashes, control characters, non-ASCII, surrogates; random decimals and timestamps) its bytes must be
/// the bytes JsonSerializer writes for the expected record with ContractsJsonContext's options and the relaxed
/// encoder, and they must read back through ContractsJsonContext as exactly that record.
/// </summary>
public sealed class HandWrittenJsonTests
{
    private static readonly JsonTypeInfo<OrderLineValidated> RelaxedTypeInfo = CreateRelaxedTypeInfo();

    // Each entry is one "character" the generator may pick: plain ASCII, JSON's special characters, C0/C1 controls,
    // DEL, Latin and Turkish letters whose case mapping is special, CJK, an emoji (a surrogate pair), line and
    // paragraph separators, a BOM, private use, an unassigned code point, and lone surrogates.
    private static readonly string[] Pieces =
    [
        "a", "Z", "0", "-", " ", "_", ":", "/", "+", "&", "<", ">", "'", "`", "~",
        "\"", "\\", "\u0000", "\u0001", "\b", "\t", "\n", "\f", "\r", "\u001F", "\u007F", "\u0080", "\u0085", "\u009F",
        "é", "Ä", "ß", "İ", "ı", "Σ", "ς", "Ω", "中", "文", "😀", "𝄞", "\u2028", "\u2029", "\uFEFF", "\u00A0",
        "\uE000", "\u0378", "\uD800", "\uDFFF", "\uFFFD", "\uFFFF",
    ];

    private static readonly CustomerIdHasher Hasher = new(HashKey);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void HandWritten_IsByteIdenticalToSystemTextJson_ForRandomOrders(int seed)
    {
        var random = new Random(seed);
        var normalizer = new OrderNormalizer(Hasher);
        for (var i = 0; i < 2_000; i++)
        {
            var order = RandomOrder(random);
            var ingestedAt = RandomTimestamp(random);
            var lines = normalizer.Normalize(order, ingestedAt);

            Assert.Equal(order.Lines.Count, lines.Length);
            for (var n = 0; n < lines.Length; n++)
            {
                var expected = Expected(order, n, ingestedAt);
                var expectedJson = JsonSerializer.SerializeToUtf8Bytes(expected, RelaxedTypeInfo);
                if (!expectedJson.AsSpan().SequenceEqual(lines[n].Utf8Json))
                {
                    Assert.Fail($"seed {seed}, order {i}, line {n}:\nexpected {Encoding.UTF8.GetString(expectedJson)}\nactual   {Encoding.UTF8.GetString(lines[n].Utf8Json)}");
                }

                var read = JsonSerializer.Deserialize(lines[n].Utf8Json, ContractsJsonContext.Default.OrderLineValidated);
                Assert.Equal(WithReplacedLoneSurrogates(expected), read);
                Assert.Equal(expected.LineId, lines[n].LineId);
                Assert.Same(order.Lines[n].Sku, lines[n].Sku);
            }
        }
    }

    [Fact]
    public void HandWritten_MatchesSystemTextJson_ForEveryBmpCodePoint()
    {
        var normalizer = new OrderNormalizer(Hasher);
        var template = Order("o-1", [new OrderLine { Sku = "s", Quantity = 1, UnitPrice = 1m }]);
        for (var c = 0; c <= 0xFFFF; c += 64)
        {
            // 64 consecutive code points per SKU, so every BMP character goes through the escaping once.
            var sku = new string(Enumerable.Range(c, 64).Select(x => (char)x).ToArray());
            var order = template with { Lines = [new OrderLine { Sku = sku, Quantity = 1, UnitPrice = 1m }] };
            var actual = normalizer.Normalize(order, Now)[0].Utf8Json;
            var expected = JsonSerializer.SerializeToUtf8Bytes(Expected(order, 0, Now), RelaxedTypeInfo);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"code points U+{c:X4}..U+{c + 63:X4}");
        }
    }

    [Theory]
    [InlineData("2026-11-27T12:00:00Z")]
    [InlineData("2026-11-27T12:00:00.1Z")]
    [InlineData("2026-11-27T12:00:00.1234567Z")]
    [InlineData("2026-11-27T12:00:00.0000001Z")]
    [InlineData("2026-11-27T12:00:00.1200000+14:00")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void HandWritten_WritesTimestampsAsSystemTextJson(string timestamp)
    {
        var at = DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture);
        var order = Order("o-1", [new OrderLine { Sku = "s", Quantity = 1, UnitPrice = 1m }]) with { OccurredAt = at };

        var actual = new OrderNormalizer(Hasher).Normalize(order, at)[0].Utf8Json;

        Assert.Equal(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Expected(order, 0, at), RelaxedTypeInfo)), Encoding.UTF8.GetString(actual));
    }

    [Theory]
    [InlineData(" Home-Decor ", "home-decor")]
    [InlineData("KITCHEN", "kitchen")]
    [InlineData("Küche & Haushalt", "küche & haushalt")]
    [InlineData("\u00A0Garten\t", "garten")]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void HandWritten_TrimsAndLowerCasesCategory_OmitsItWhenBlank(string? category, string? expected)
    {
        var order = Order("o-1", [new OrderLine { Sku = "s", Quantity = 1, UnitPrice = 1m, Category = category }]);

        var line = new OrderNormalizer(Hasher).Normalize(order, Now)[0];
        var text = Encoding.UTF8.GetString(line.Utf8Json);

        Assert.Equal(expected, JsonSerializer.Deserialize(line.Utf8Json, ContractsJsonContext.Default.OrderLineValidated)!.Category);
        Assert.Equal(expected is not null, text.Contains("\"category\":", StringComparison.Ordinal));
    }

    [Fact]
    public void HandWritten_GrowsItsBufferForLongValues()
    {
        var sku = string.Concat(Enumerable.Repeat("\"😀\u0001x", 5_000));
        var order = Order(new string('o', 3_000), [new OrderLine { Sku = sku, Quantity = 1, UnitPrice = 1m, PromotionId = sku }]);

        var actual = new OrderNormalizer(Hasher).Normalize(order, Now)[0].Utf8Json;

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(Expected(order, 0, Now), RelaxedTypeInfo), actual);
    }

    /// <summary>The record the normalizer's contract describes, built the plain way.</summary>
    private static OrderLineValidated Expected(OrderEvent order, int index, DateTimeOffset ingestedAt)
    {
        var line = order.Lines[index];
        var cancellation = order.EventType == OrderEventTypes.Cancelled;
        var category = line.Category?.Trim().ToLowerInvariant();
        return new OrderLineValidated
        {
            SchemaVersion = 1,
            LineId = $"{order.OrderId}:{index + 1}",
            OrderId = order.OrderId,
            LineNumber = index + 1,
            LineCount = order.Lines.Count,
            Kind = cancellation ? OrderLineKinds.Cancellation : OrderLineKinds.Sale,
            CancelsOrderId = order.CancelsOrderId,
            Sku = line.Sku,
            Category = string.IsNullOrEmpty(category) ? null : category,
            Quantity = cancellation ? -line.Quantity : line.Quantity,
            UnitPrice = line.UnitPrice,
            Currency = order.Currency.ToUpperInvariant(),
            Region = string.IsNullOrEmpty(order.Region) ? "unknown" : order.Region.ToLowerInvariant(),
            Channel = string.IsNullOrEmpty(order.Channel) ? "unknown" : order.Channel.ToLowerInvariant(),
            CustomerHash = string.IsNullOrEmpty(order.CustomerId) ? null : Hasher.Hash(order.CustomerId),
            PromotionId = line.PromotionId,
            OccurredAt = order.OccurredAt.ToUniversalTime(),
            IngestedAt = ingestedAt.ToUniversalTime(),
        };
    }

    /// <summary>
    /// JSON cannot carry a lone surrogate as text: both writers put U+FFFD in its place (only orders built in code can
    /// hold one; the validator rejects them). Everything else must read back unchanged.
    /// </summary>
    private static OrderLineValidated WithReplacedLoneSurrogates(OrderLineValidated r)
    {
        static string? Fix(string? s) => s is null ? null : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s));
        return r with
        {
            LineId = Fix(r.LineId)!,
            OrderId = Fix(r.OrderId)!,
            CancelsOrderId = Fix(r.CancelsOrderId),
            Sku = Fix(r.Sku)!,
            Category = Fix(r.Category),
            Currency = Fix(r.Currency)!,
            Region = Fix(r.Region)!,
            Channel = Fix(r.Channel)!,
            PromotionId = Fix(r.PromotionId),
        };
    }

    private static OrderEvent Order(string orderId, IReadOnlyList<OrderLine> lines) => new()
    {
        EventType = OrderEventTypes.Placed,
        OrderId = orderId,
        CustomerId = RawCustomerId,
        OccurredAt = Now,
        Currency = "EUR",
        Region = "EU-West",
        Channel = "Web",
        Lines = lines,
    };

    private static OrderEvent RandomOrder(Random random)
    {
        var lines = new OrderLine[random.Next(1, 5)];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = new OrderLine
            {
                Sku = RandomString(random, 1),
                Quantity = random.Next(4) == 0 ? random.Next(int.MinValue + 1, int.MaxValue) : random.Next(1, 10_001),
                UnitPrice = RandomDecimal(random),
                PromotionId = random.Next(3) == 0 ? RandomString(random, 0) : null,
                Category = random.Next(3) switch
                {
                    0 => null,
                    1 => RandomString(random, 0),
                    _ => new string(' ', random.Next(3)) + RandomString(random, 0) + new string(' ', random.Next(3)),
                },
            };
        }

        return new OrderEvent
        {
            EventType = random.Next(2) == 0 ? OrderEventTypes.Placed : OrderEventTypes.Cancelled,
            OrderId = RandomString(random, 1),
            CancelsOrderId = random.Next(2) == 0 ? RandomString(random, 1) : null,
            CustomerId = random.Next(3) == 0 ? null : RandomString(random, 0),
            OccurredAt = RandomTimestamp(random),
            Currency = random.Next(4) == 0 ? RandomString(random, 0) : "EUR",
            Region = random.Next(4) == 0 ? null : RandomString(random, 0),
            Channel = random.Next(4) == 0 ? null : RandomString(random, 0),
            Lines = lines,
        };
    }

    private static string RandomString(Random random, int minLength)
    {
        var length = random.Next(minLength, 20);

        // Half the strings are plain ASCII, the common case with its own fast path.
        if (random.Next(2) == 0)
        {
            return new string(Enumerable.Range(0, length).Select(_ => (char)random.Next(0x20, 0x7F)).ToArray());
        }

        var builder = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(3) == 0 ? ((char)random.Next(0x20, 0x7F)).ToString() : Pieces[random.Next(Pieces.Length)]);
        }

        return builder.ToString();
    }

    private static decimal RandomDecimal(Random random) => random.Next(5) switch
    {
        0 => Math.Round((decimal)random.NextDouble() * 1000m, random.Next(0, 4)),
        1 => new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, (byte)random.Next(0, 29)),
        2 => new decimal(0, 0, 0, random.Next(2) == 0, (byte)random.Next(0, 29)),
        3 => random.Next(2) == 0 ? decimal.MaxValue : decimal.MinValue,
        _ => new decimal(random.Next(0, 100_000), 0, 0, false, (byte)random.Next(0, 5)),
    };

    private static DateTimeOffset RandomTimestamp(Random random)
    {
        var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
        var min = DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay;
        var max = DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay;
        var ticks = random.NextInt64(min, max);
        ticks -= random.Next(4) switch
        {
            0 => ticks % TimeSpan.TicksPerSecond,
            1 => ticks % TimeSpan.TicksPerMillisecond,
            2 => ticks % 100,
            _ => 0,
        };
        return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
    }

    private static JsonTypeInfo<OrderLineValidated> CreateRelaxedTypeInfo()
    {
        var options = new JsonSerializerOptions(ContractsJsonContext.Default.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        return (JsonTypeInfo<OrderLineValidated>)options.GetTypeInfo(typeof(OrderLineValidated));
    }
}
