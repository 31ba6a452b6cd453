using Platform.Contracts;
using static Platform.Ingestion.Validation.Tests.Payloads;

namespace Platform.Ingestion.Validation.Tests;

/// <summary>
/// The validator's fast path must never change an answer: for any input, the validator with it and the one
/// without it (the Utf8JsonReader path alone) accept the same orders, equal field by field, and reject the rest
/// with the same rejection.
/// </summary>
public sealed class FastPathTests
{
    private static readonly byte[] Interesting = "{}[]\",:\\0123456789-+.eEtrufalsn \t\r\n\u0001\u007F\u00e9"u8.ToArray();

    private static OrderValidator ReaderOnly(IngestionLimits? limits = null) =>
        new(limits ?? new IngestionLimits(), new FixedTimeProvider(Now)) { FastPathEnabled = false };

    [Theory]
    [InlineData(Placed)]
    [InlineData(Cancelled)]
    [InlineData("""{"schema_version":1,"event_type":"order_placed","order_id":"g","occurred_at":"2026-11-27T11:00:00Z","currency":"JPY","lines":[{"sku":"S","quantity":1,"unit_price":1200}]}""")]
    [InlineData(" \r\n\t{ \"schema_version\" : 1 , \"lines\" : [ { \"unit_price\" : 0.50 , \"sku\" : \"A b\" , \"quantity\" : 10000 , \"category\" : \" Toys \" } ] , \"event_type\" : \"order_cancelled\" , \"currency\" : \"CHF\" , \"order_id\" : \"x\" , \"occurred_at\" : \"2026-11-27T12:04:59+00:30\" } \n")]
    public void PlainValidOrders_TakeTheFastPath_AndMatchTheReaderPath(string json)
    {
        var payload = Utf8(json);

        Assert.True(Validator().TryParseFast(payload, out var fast));
        Assert.True(ReaderOnly().TryParse(payload, out var slow, out _));
        AssertSameOrder(slow, fast);
    }

    [Theory]
    [InlineData("\"unit_price\":19.99", "\"unit_price\":1.999e1")]
    [InlineData("\"unit_price\":19.99", "\"unit_price\":019.99")]
    [InlineData("\"unit_price\":19.99", "\"unit_price\":-19.99")]
    [InlineData("\"quantity\":2", "\"quantity\":0")]
    [InlineData("\"quantity\":2", "\"quantity\":02")]
    [InlineData("\"quantity\":2", "\"quantity\":2.0")]
    [InlineData("\"quantity\":2", "\"quantity\":10001")]
    [InlineData("\"region\":\"EU-West\"", "\"region\":\"\"")]
    [InlineData("\"region\":\"EU-West\"", "\"region\":null")]
    [InlineData("\"region\":\"EU-West\"", "\"region\":\"EU\\u0041\"")]
    [InlineData("\"region\":\"EU-West\"", "\"region\":\"Zürich\"")]
    [InlineData("\"region\":\"EU-West\"", "\"region\":\"EU-West\",\"region\":\"EU-West\"")]
    [InlineData("\"region\":\"EU-West\"", "\"colour\":\"red\"")]
    [InlineData("\"schema_version\":1", "\"schema_version\":1.0")]
    [InlineData("\"schema_version\":1", "\"schema_version\":10")]
    [InlineData("\"currency\":\"EUR\"", "\"currency\":\"eur\"")]
    [InlineData("\"occurred_at\":\"2026-11-27T11:59:00.123+01:00\"", "\"occurred_at\":\"2026-11-27T11:59:00.123\"")]
    [InlineData("\"occurred_at\":\"2026-11-27T11:59:00.123+01:00\"", "\"occurred_at\":\"2025-11-27T11:59:00Z\"")]
    [InlineData("]}", "],}")]
    [InlineData("]}", "]}x")]
    [InlineData("]}", "]}{}")]
    public void AnythingUnusual_IsLeftToTheReaderPath(string find, string replace)
    {
        var payload = Utf8(PlacedWith(find, replace));

        Assert.False(Validator().TryParseFast(payload, out _));
        AssertSameAnswer(payload, Validator(), ReaderOnly());
    }

    [Fact]
    public void LimitsApplyOnTheFastPath()
    {
        var limits = new IngestionLimits { MaxIdLength = 5, MaxLabelLength = 3, MaxLines = 2, MaxUnitPrice = 19.99m, MaxQuantityPerLine = 2 };
        var validator = new OrderValidator(limits, new FixedTimeProvider(Now));
        var reader = ReaderOnly(limits);
        foreach (var json in new[]
        {
            Placed,
            PlacedWith("\"lines\":[", "\"lines\":[{\"sku\":\"S\",\"quantity\":1,\"unit_price\":1},"),
            """{"schema_version":1,"event_type":"order_placed","order_id":"abcde","occurred_at":"2026-11-27T11:00:00Z","currency":"EUR","region":"abc","lines":[{"sku":"S","quantity":2,"unit_price":19.99}]}""",
            """{"schema_version":1,"event_type":"order_placed","order_id":"abcdef","occurred_at":"2026-11-27T11:00:00Z","currency":"EUR","lines":[{"sku":"S","quantity":2,"unit_price":19.99}]}""",
            """{"schema_version":1,"event_type":"order_placed","order_id":"abcde","occurred_at":"2026-11-27T11:00:00Z","currency":"EUR","region":"abcd","lines":[{"sku":"S","quantity":2,"unit_price":19.99}]}""",
            """{"schema_version":1,"event_type":"order_placed","order_id":"abcde","occurred_at":"2026-11-27T11:00:00Z","currency":"EUR","lines":[{"sku":"S","quantity":2,"unit_price":19.991}]}""",
        })
        {
            AssertSameAnswer(Utf8(json), validator, reader);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void MutatedPayloads_GetTheSameAnswerFromBothPaths(int seed)
    {
        var random = new Random(seed);
        var withFastPath = Validator();
        var readerOnly = ReaderOnly();
        var seeds = new[] { Placed, Cancelled, Guest, WithUnknownProperties }.Select(Utf8).ToArray();
        var fastAccepted = 0;

        for (var i = 0; i < 20_000; i++)
        {
            var payload = Mutate(random, seeds[random.Next(seeds.Length)]);
            if (withFastPath.TryParseFast(payload, out _))
            {
                fastAccepted++;
            }

            AssertSameAnswer(payload, withFastPath, readerOnly);
        }

        Assert.InRange(fastAccepted, 1, 19_999);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("0.00")]
    [InlineData("0.05")]
    [InlineData("1")]
    [InlineData("10.990")]
    [InlineData("100.10")]
    [InlineData("1200")]
    [InlineData("999999.999999999999")]
    [InlineData("123456789012345678")]
    [InlineData("1234567890123456789")]
    [InlineData("9999999999999999999")]
    [InlineData("99999999999999999.9")]
    [InlineData("999999999999999999")]
    [InlineData("0.000000000000000001")]
    public void Prices_ParseAsTheReaderParsesThem(string price)
    {
        var payload = Utf8(PlacedWith("\"unit_price\":19.99", $"\"unit_price\":{price}"));
        var limits = new IngestionLimits { MaxUnitPrice = decimal.MaxValue };
        AssertSameAnswer(payload, new OrderValidator(limits, new FixedTimeProvider(Now)), ReaderOnly(limits));
    }

    [Fact]
    public void Decimals_AreWrittenAsUtf8FormatterWritesThem()
    {
        var random = new Random(7);
        var builder = new Utf8JsonBuilder(64);
        Span<byte> expected = stackalloc byte[64];
        for (var i = 0; i < 100_000; i++)
        {
            var mantissa = random.Next(3) switch
            {
                0 => random.Next(1, 1000),
                1 => random.Next(1, 1_000_000_000),
                _ => random.Next(),
            };
            var value = new decimal(mantissa, i % 50 == 0 ? 1 : 0, 0, i % 7 == 0, (byte)random.Next(0, 29));
            builder.Clear();
            builder.Decimal(value);
            Assert.True(System.Buffers.Text.Utf8Formatter.TryFormat(value, expected, out var written));
            Assert.Equal(expected[..written].ToArray(), builder.Written.ToArray());
        }
    }

    private static void AssertSameAnswer(byte[] payload, OrderValidator withFastPath, OrderValidator readerOnly)
    {
        var fastOk = withFastPath.TryParse(payload, out var fast, out var fastRejection);
        var slowOk = readerOnly.TryParse(payload, out var slow, out var slowRejection);
        Assert.Equal(slowOk, fastOk);
        Assert.Equal(slowRejection, fastRejection);
        if (slowOk)
        {
            AssertSameOrder(slow!, fast!);
        }
    }

    private static void AssertSameOrder(OrderEvent expected, OrderEvent actual)
    {
        Assert.Equal(expected with { Lines = [] }, actual with { Lines = [] });
        Assert.Equal(expected.Lines, actual.Lines);
        for (var i = 0; i < expected.Lines.Count; i++)
        {
            // decimal equality ignores the scale (19.9 == 19.90); the serialized form does not.
            Assert.Equal(expected.Lines[i].UnitPrice.Scale, actual.Lines[i].UnitPrice.Scale);
        }

        Assert.Same(expected.EventType, actual.EventType);
        Assert.Same(expected.Currency, actual.Currency);
        Assert.Equal(expected.OccurredAt.Offset, actual.OccurredAt.Offset);
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = new List<byte>(source);
        var count = random.Next(1, 4);
        for (var m = 0; m < count && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                case 3:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 4:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 8)));
                    break;
            }
        }

        return [.. bytes];
    }
}
