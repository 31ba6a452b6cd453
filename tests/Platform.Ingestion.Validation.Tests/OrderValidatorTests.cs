using System.Text;
using Platform.Contracts;
using static Platform.Ingestion.Validation.Tests.Payloads;

namespace Platform.Ingestion.Validation.Tests;

public sealed class OrderValidatorTests
{
    private const string Line0 = """{"sku":"SKU-1","quantity":2,"unit_price":19.99}""";

    /// <summary>name, payload, expected reason, expected field. At least one row per reason but processing_error.</summary>
    public static TheoryData<string, string, string, string?> Rejections => new()
    {
        { "empty", "", RejectionReasons.EmptyPayload, null },
        { "too large", "{\"pad\":\"" + new string('a', 70_000) + "\"}", RejectionReasons.PayloadTooLarge, null },
        { "truncated", Placed[..40], RejectionReasons.MalformedJson, null },
        { "root array", "[1,2,3]", RejectionReasons.MalformedJson, null },
        { "root string", "\"order\"", RejectionReasons.MalformedJson, null },
        { "trailing content", Placed + "{}", RejectionReasons.MalformedJson, null },
        { "trailing comma", PlacedWith("\"channel\":\"Web\",", "\"channel\":\"Web\",,"), RejectionReasons.MalformedJson, null },
        { "comment", PlacedWith("\"channel\":\"Web\",", "\"channel\":\"Web\",/* c */"), RejectionReasons.MalformedJson, null },
        { "schema 2", PlacedWith("\"schema_version\":1", "\"schema_version\":2"), RejectionReasons.UnsupportedSchemaVersion, "$.schema_version" },
        { "schema missing", PlacedWith("\"schema_version\":1,", ""), RejectionReasons.UnsupportedSchemaVersion, "$.schema_version" },
        { "schema string", PlacedWith("\"schema_version\":1", "\"schema_version\":\"1\""), RejectionReasons.UnsupportedSchemaVersion, "$.schema_version" },
        { "schema 1.5", PlacedWith("\"schema_version\":1", "\"schema_version\":1.5"), RejectionReasons.UnsupportedSchemaVersion, "$.schema_version" },
        { "event shipped", PlacedWith("order_placed", "order_shipped"), RejectionReasons.UnknownEventType, "$.event_type" },
        { "event upper case", PlacedWith("order_placed", "ORDER_PLACED"), RejectionReasons.UnknownEventType, "$.event_type" },
        { "event missing", PlacedWith("\"event_type\":\"order_placed\",", ""), RejectionReasons.MissingField, "$.event_type" },
        { "order_id missing", PlacedWith("\"order_id\":\"o-1001\",", ""), RejectionReasons.MissingField, "$.order_id" },
        { "order_id null", PlacedWith("\"order_id\":\"o-1001\"", "\"order_id\":null"), RejectionReasons.MissingField, "$.order_id" },
        { "order_id empty", PlacedWith("\"order_id\":\"o-1001\"", "\"order_id\":\"\""), RejectionReasons.MissingField, "$.order_id" },
        { "occurred_at missing", PlacedWith("\"occurred_at\":\"2026-11-27T11:59:00.123+01:00\",", ""), RejectionReasons.MissingField, "$.occurred_at" },
        { "currency null", PlacedWith("\"currency\":\"EUR\"", "\"currency\":null"), RejectionReasons.MissingField, "$.currency" },
        { "lines missing", PlacedWith("\"lines\":[", "\"x\":["), RejectionReasons.MissingField, "$.lines" },
        { "sku missing", PlacedWith("{\"sku\":\"SKU-2\",", "{"), RejectionReasons.MissingField, "$.lines[1].sku" },
        { "sku empty", PlacedWith("\"sku\":\"SKU-3\"", "\"sku\":\"\""), RejectionReasons.MissingField, "$.lines[2].sku" },
        { "quantity null", PlacedWith("\"quantity\":2", "\"quantity\":null"), RejectionReasons.MissingField, "$.lines[0].quantity" },
        { "unit_price missing", PlacedWith(",\"unit_price\":0}", "}"), RejectionReasons.MissingField, "$.lines[2].unit_price" },
        { "event_type number", PlacedWith("\"order_placed\"", "7"), RejectionReasons.InvalidField, "$.event_type" },
        { "quantity fraction", PlacedWith("\"quantity\":2", "\"quantity\":2.5"), RejectionReasons.InvalidField, "$.lines[0].quantity" },
        { "quantity string", PlacedWith("\"quantity\":2", "\"quantity\":\"2\""), RejectionReasons.InvalidField, "$.lines[0].quantity" },
        { "quantity beyond int", PlacedWith("\"quantity\":2", "\"quantity\":99999999999"), RejectionReasons.InvalidField, "$.lines[0].quantity" },
        { "unit_price string", PlacedWith("\"unit_price\":19.99", "\"unit_price\":\"19.99\""), RejectionReasons.InvalidField, "$.lines[0].unit_price" },
        { "unit_price beyond decimal", PlacedWith("\"unit_price\":19.99", "\"unit_price\":1e40"), RejectionReasons.InvalidField, "$.lines[0].unit_price" },
        { "unit_price above limit", PlacedWith("\"unit_price\":5.5", "\"unit_price\":1000000.01"), RejectionReasons.InvalidField, "$.lines[1].unit_price" },
        { "occurred_at not a date", PlacedWith("2026-11-27T11:59:00.123+01:00", "yesterday"), RejectionReasons.InvalidField, "$.occurred_at" },
        { "occurred_at without offset", PlacedWith("2026-11-27T11:59:00.123+01:00", "2026-11-27T11:59:00"), RejectionReasons.InvalidField, "$.occurred_at" },
        { "occurred_at date only", PlacedWith("2026-11-27T11:59:00.123+01:00", "2026-11-27"), RejectionReasons.InvalidField, "$.occurred_at" },
        { "occurred_at number", PlacedWith("\"2026-11-27T11:59:00.123+01:00\"", "1764244740"), RejectionReasons.InvalidField, "$.occurred_at" },
        { "currency number", PlacedWith("\"EUR\"", "978"), RejectionReasons.InvalidField, "$.currency" },
        { "region object", PlacedWith("\"EU-West\"", "{\"name\":\"eu\"}"), RejectionReasons.InvalidField, "$.region" },
        { "lines object", PlacedWith("\"lines\":[", "\"lines\":{},\"x\":["), RejectionReasons.InvalidField, "$.lines" },
        { "line not object", PlacedWith("\"lines\":[", "\"lines\":[\"SKU-0\","), RejectionReasons.InvalidField, "$.lines[0]" },
        { "duplicate order_id", PlacedWith("\"order_id\":\"o-1001\"", "\"order_id\":\"o-1001\",\"order_id\":\"o-9\""), RejectionReasons.InvalidField, "$.order_id" },
        { "duplicate quantity", PlacedWith("\"quantity\":2", "\"quantity\":2,\"quantity\":200"), RejectionReasons.InvalidField, "$.lines[0].quantity" },
        { "no lines", PlacedWith("\"lines\":[", "\"lines\":[],\"x\":["), RejectionReasons.NoLines, "$.lines" },
        { "201 lines", PlacedWith("\"lines\":[", "\"lines\":" + Lines(201) + ",\"x\":["), RejectionReasons.TooManyLines, "$.lines" },
        { "quantity zero", PlacedWith("\"quantity\":2", "\"quantity\":0"), RejectionReasons.QuantityNotPositive, "$.lines[0].quantity" },
        { "quantity negative", PlacedWith("\"quantity\":3", "\"quantity\":-3"), RejectionReasons.QuantityNotPositive, "$.lines[2].quantity" },
        { "quantity too large", PlacedWith("\"quantity\":1", "\"quantity\":10001"), RejectionReasons.QuantityTooLarge, "$.lines[1].quantity" },
        { "price negative", PlacedWith("\"unit_price\":19.99", "\"unit_price\":-0.01"), RejectionReasons.PriceNegative, "$.lines[0].unit_price" },
        { "currency unknown", PlacedWith("\"EUR\"", "\"XYZ\""), RejectionReasons.InvalidCurrency, "$.currency" },
        { "currency lower case", PlacedWith("\"EUR\"", "\"eur\""), RejectionReasons.InvalidCurrency, "$.currency" },
        { "currency withdrawn", PlacedWith("\"EUR\"", "\"HRK\""), RejectionReasons.InvalidCurrency, "$.currency" },
        { "currency four letters", PlacedWith("\"EUR\"", "\"EURO\""), RejectionReasons.InvalidCurrency, "$.currency" },
        { "currency empty", PlacedWith("\"EUR\"", "\"\""), RejectionReasons.InvalidCurrency, "$.currency" },
        { "too old", PlacedWith("2026-11-27T11:59:00.123+01:00", "2026-10-28T11:59:59Z"), RejectionReasons.TimestampTooOld, "$.occurred_at" },
        { "in future", PlacedWith("2026-11-27T11:59:00.123+01:00", "2026-11-27T12:05:01Z"), RejectionReasons.TimestampInFuture, "$.occurred_at" },
        { "in future by offset", PlacedWith("2026-11-27T11:59:00.123+01:00", "2026-11-27T13:06:00+01:00"), RejectionReasons.TimestampInFuture, "$.occurred_at" },
        { "order_id 65", PlacedWith("\"o-1001\"", "\"" + new string('o', 65) + "\""), RejectionReasons.StringTooLong, "$.order_id" },
        { "customer_id 65", PlacedWith("\"cust-4711-secret\"", "\"" + new string('c', 65) + "\""), RejectionReasons.StringTooLong, "$.customer_id" },
        { "region 33", PlacedWith("\"EU-West\"", "\"" + new string('r', 33) + "\""), RejectionReasons.StringTooLong, "$.region" },
        { "promotion 65", PlacedWith("\"BF26\"", "\"" + new string('p', 65) + "\""), RejectionReasons.StringTooLong, "$.lines[1].promotion_id" },
        { "escaped sku 65", PlacedWith("\"SKU-3\"", "\"" + string.Concat(Enumerable.Repeat("\\u0041", 65)) + "\""), RejectionReasons.StringTooLong, "$.lines[2].sku" },
        { "order_id C0", PlacedWith("\"o-1001\"", "\"o-1\\u00010\""), RejectionReasons.ControlCharacters, "$.order_id" },
        { "channel newline", PlacedWith("\"Web\"", "\"W\\neb\""), RejectionReasons.ControlCharacters, "$.channel" },
        { "sku DEL", PlacedWith("\"SKU-1\"", "\"SKU\u007F1\""), RejectionReasons.ControlCharacters, "$.lines[0].sku" },
        { "sku C1", PlacedWith("\"SKU-2\"", "\"SKU\u00852\""), RejectionReasons.ControlCharacters, "$.lines[1].sku" },
        { "category 65", PlacedWith(Line0, "{\"sku\":\"SKU-1\",\"category\":\"" + new string('k', 65) + "\",\"quantity\":2,\"unit_price\":19.99}"), RejectionReasons.StringTooLong, "$.lines[0].category" },
        { "category tab", PlacedWith(Line0, "{\"sku\":\"SKU-1\",\"category\":\"home\\tdecor\",\"quantity\":2,\"unit_price\":19.99}"), RejectionReasons.ControlCharacters, "$.lines[0].category" },
        { "category number", PlacedWith(Line0, "{\"sku\":\"SKU-1\",\"category\":7,\"quantity\":2,\"unit_price\":19.99}"), RejectionReasons.InvalidField, "$.lines[0].category" },
        { "category twice", PlacedWith(Line0, "{\"sku\":\"SKU-1\",\"category\":\"a\",\"category\":\"b\",\"quantity\":2,\"unit_price\":19.99}"), RejectionReasons.InvalidField, "$.lines[0].category" },
    };

    /// <summary>Precedence: the more fundamental problem wins when a payload has several.</summary>
    public static TheoryData<string, string, string, string?> Precedence => new()
    {
        { "malformed beats schema", PlacedWith("\"schema_version\":1", "\"schema_version\":2").Replace("}]}", "}]", StringComparison.Ordinal), RejectionReasons.MalformedJson, null },
        { "schema beats field", PlacedWith("\"schema_version\":1", "\"schema_version\":3").Replace("\"quantity\":2", "\"quantity\":\"x\"", StringComparison.Ordinal), RejectionReasons.UnsupportedSchemaVersion, "$.schema_version" },
        { "event type beats field", PlacedWith("order_placed", "refund").Replace("\"EUR\"", "7", StringComparison.Ordinal), RejectionReasons.UnknownEventType, "$.event_type" },
        { "first field error in document order", PlacedWith("\"EU-West\"", "12").Replace("\"Web\"", "13", StringComparison.Ordinal), RejectionReasons.InvalidField, "$.region" },
        { "field error beats missing", PlacedWith("\"order_id\":\"o-1001\",", "").Replace("\"Web\"", "13", StringComparison.Ordinal), RejectionReasons.InvalidField, "$.channel" },
        { "missing beats currency", PlacedWith("\"order_id\":\"o-1001\",", "").Replace("\"EUR\"", "\"eur\"", StringComparison.Ordinal), RejectionReasons.MissingField, "$.order_id" },
        { "currency beats time", PlacedWith("\"EUR\"", "\"eur\"").Replace("2026-11-27T11:59:00.123+01:00", "2020-01-01T00:00:00Z", StringComparison.Ordinal), RejectionReasons.InvalidCurrency, "$.currency" },
        { "time beats lines", PlacedWith("2026-11-27T11:59:00.123+01:00", "2020-01-01T00:00:00Z").Replace("\"quantity\":2", "\"quantity\":0", StringComparison.Ordinal), RejectionReasons.TimestampTooOld, "$.occurred_at" },
        { "too many lines beats line errors", PlacedWith("\"lines\":[", "\"lines\":[{\"sku\":\"\",\"quantity\":0,\"unit_price\":-1}," + Lines(200)[1..] + ",\"x\":["), RejectionReasons.TooManyLines, "$.lines" },
        { "first failing line wins", PlacedWith("\"quantity\":1", "\"quantity\":0").Replace("\"quantity\":3", "\"quantity\":\"3\"", StringComparison.Ordinal), RejectionReasons.QuantityNotPositive, "$.lines[1].quantity" },
        { "within a line, type beats missing", PlacedWith(Line0, "{\"quantity\":\"2\",\"unit_price\":1}"), RejectionReasons.InvalidField, "$.lines[0].quantity" },
        { "within a line, missing beats range", PlacedWith(Line0, "{\"sku\":\"S\",\"quantity\":0}"), RejectionReasons.MissingField, "$.lines[0].unit_price" },
    };

    public static TheoryData<string, string> ValidOrders => new()
    {
        { "placed", Placed },
        { "cancelled", Cancelled },
        { "guest", Guest },
        { "unknown properties", WithUnknownProperties },
        { "escaped names and values", PlacedWith("\"order_id\":\"o-1001\"", "\"order\\u005fid\":\"o-\\u0031001\"").Replace("\"EUR\"", "\"\\u0045UR\"", StringComparison.Ordinal) },
        { "200 lines", PlacedWith("\"lines\":[", "\"lines\":" + Lines(200) + ",\"x\":[") },
        { "limits inclusive", PlacedWith("\"quantity\":2", "\"quantity\":10000").Replace("\"unit_price\":19.99", "\"unit_price\":1000000", StringComparison.Ordinal) },
        { "oldest allowed", PlacedWith("2026-11-27T11:59:00.123+01:00", "2026-10-28T12:00:00Z") },
        { "latest allowed", PlacedWith("2026-11-27T11:59:00.123+01:00", "2026-11-27T12:05:00Z") },
        { "null optionals", PlacedWith("\"customer_id\":\"cust-4711-secret\"", "\"customer_id\":null,\"region\":null,\"cancels_order_id\":null").Replace(",\"region\":\"EU-West\"", "", StringComparison.Ordinal) },
        { "byte order mark absent, whitespace around", "  \r\n" + Placed + "\n\t " },
        { "non-ASCII sku", PlacedWith("\"SKU-1\"", "\"Größe-Ä-😀\"") },
        { "scientific price", PlacedWith("\"unit_price\":19.99", "\"unit_price\":1.999e1") },
        { "category 64, non-ASCII", PlacedWith(Line0, "{\"sku\":\"SKU-1\",\"category\":\"" + new string('K', 63) + "Ü\",\"quantity\":2,\"unit_price\":19.99}") },
        { "category null", PlacedWith(Line0, "{\"sku\":\"SKU-1\",\"category\":null,\"quantity\":2,\"unit_price\":19.99}") },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Validation_RejectsWithReasonAndField(string name, string payload, string reason, string? field)
    {
        var accepted = Validator().TryParse(Utf8(payload), out var order, out var rejection);

        Assert.False(accepted, name);
        Assert.Null(order);
        Assert.Equal(reason, rejection.Reason);
        Assert.Equal(field, rejection.Field);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Detail));
    }

    [Theory]
    [MemberData(nameof(Precedence))]
    public void Validation_FirstFailureWinsInDocumentedOrder(string name, string payload, string reason, string? field)
    {
        Assert.False(Validator().TryParse(Utf8(payload), out _, out var rejection), name);
        Assert.Equal((reason, field), (rejection.Reason, rejection.Field));
    }

    [Fact]
    public void Validation_TableCoversEveryReasonButProcessingError()
    {
        var covered = Rejections.Select(row => (string)row[2]).ToHashSet();
        var expected = RejectionReasons.All.Where(r => r != RejectionReasons.ProcessingError).ToHashSet();

        Assert.Equal(expected.Order(), covered.Order());
    }

    [Theory]
    [MemberData(nameof(ValidOrders))]
    public void Validation_AcceptsValidOrders(string name, string payload)
    {
        var accepted = Validator().TryParse(Utf8(payload), out var order, out var rejection);

        Assert.True(accepted, $"{name}: {rejection}");
        Assert.NotNull(order);
        Assert.Equal(default, rejection);
        Assert.NotEmpty(order.Lines);
    }

    [Fact]
    public void Validation_ReadsEveryField()
    {
        Assert.True(Validator().TryParse(Utf8(Placed), out var order, out _));

        Assert.Equal(1, order.SchemaVersion);
        Assert.Equal(OrderEventTypes.Placed, order.EventType);
        Assert.Equal("o-1001", order.OrderId);
        Assert.Null(order.CancelsOrderId);
        Assert.Equal(RawCustomerId, order.CustomerId);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 11, 59, 0, 123, TimeSpan.FromHours(1)), order.OccurredAt);
        Assert.Equal(TimeSpan.FromHours(1), order.OccurredAt.Offset);
        Assert.Equal("EUR", order.Currency);
        Assert.Equal("EU-West", order.Region);
        Assert.Equal("Web", order.Channel);
        Assert.Equal(
            [
                new OrderLine { Sku = "SKU-1", Quantity = 2, UnitPrice = 19.99m },
                new OrderLine { Sku = "SKU-2", Quantity = 1, UnitPrice = 5.5m, PromotionId = "BF26" },
                new OrderLine { Sku = "SKU-3", Quantity = 3, UnitPrice = 0m },
            ],
            order.Lines);
    }

    [Fact]
    public void Validation_ReadsCancellationAndGuest()
    {
        Assert.True(Validator().TryParse(Utf8(Cancelled), out var cancelled, out _));
        Assert.True(Validator().TryParse(Utf8(Guest), out var guest, out _));

        Assert.Equal(OrderEventTypes.Cancelled, cancelled.EventType);
        Assert.Equal("o-1001", cancelled.CancelsOrderId);
        Assert.Null(guest.CustomerId);
        Assert.Null(guest.Region);
        Assert.Null(guest.Channel);
    }

    [Fact]
    public void Validation_ReadsCategoryAsSentOrNull()
    {
        var payload = PlacedWith(Line0, "{\"sku\":\"SKU-1\",\"category\":\" Home-Decor \",\"quantity\":2,\"unit_price\":19.99}")
            .Replace("\"promotion_id\":\"BF26\"", "\"promotion_id\":\"BF26\",\"category\":\"\"", StringComparison.Ordinal);

        Assert.True(Validator().TryParse(Utf8(payload), out var order, out var rejection), rejection.ToString());

        // The order event keeps what the producer sent; the normalizer trims and lower-cases it.
        Assert.Equal(" Home-Decor ", order.Lines[0].Category);
        Assert.Null(order.Lines[1].Category);
        Assert.Null(order.Lines[2].Category);
    }

    [Fact]
    public void Validation_TreatsEmptyOptionalStringsAsAbsent()
    {
        var payload = PlacedWith("\"cust-4711-secret\"", "\"\"").Replace("\"BF26\"", "\"\"", StringComparison.Ordinal);

        Assert.True(Validator().TryParse(Utf8(payload), out var order, out _));
        Assert.Null(order.CustomerId);
        Assert.Null(order.Lines[1].PromotionId);
    }

    [Fact]
    public void Validation_RejectsInvalidUtf8AsMalformed()
    {
        var bytes = Utf8(Placed);
        bytes[Placed.IndexOf("SKU-1", StringComparison.Ordinal) + 1] = 0xFF;

        Assert.False(Validator().TryParse(bytes, out _, out var rejection));
        Assert.Equal(RejectionReasons.MalformedJson, rejection.Reason);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udc00x")]
    [InlineData("\\ud83d\\u0041")]
    public void Validation_RejectsLoneSurrogateEscapes(string escape)
    {
        var payload = PlacedWith("\"o-1001\"", "\"o-" + escape + "\"");

        Assert.False(Validator().TryParse(Utf8(payload), out _, out var rejection));
        Assert.Equal((RejectionReasons.InvalidField, "$.order_id"), (rejection.Reason, rejection.Field));
    }

    [Fact]
    public void Validation_RejectsLoneSurrogateInPropertyName()
    {
        var payload = PlacedWith("\"channel\"", "\"chan\\ud800\"");

        Assert.False(Validator().TryParse(Utf8(payload), out _, out var rejection));
        Assert.Equal(RejectionReasons.MalformedJson, rejection.Reason);
    }

    [Fact]
    public void Validation_ReportsOrderIdWhenItCouldBeRead()
    {
        var payload = PlacedWith("\"quantity\":2", "\"quantity\":0");

        Assert.False(Validator().TryParse(Utf8(payload), out _, out var rejection));
        Assert.Equal("o-1001", rejection.OrderId);
    }

    [Fact]
    public void Validation_AppliesConfiguredLimits()
    {
        var limits = new IngestionLimits { MaxLines = 2, MaxPayloadBytes = 100_000, MaxQuantityPerLine = 2, MaxLabelLength = 4 };
        var validator = Validator(limits);

        Assert.False(validator.TryParse(Utf8(Placed), out _, out var rejection));
        Assert.Equal((RejectionReasons.StringTooLong, "$.region"), (rejection.Reason, rejection.Field));

        var shortLabels = PlacedWith("\"EU-West\"", "\"eu\"").Replace("\"Web\"", "\"web\"", StringComparison.Ordinal);
        Assert.False(validator.TryParse(Utf8(shortLabels), out _, out rejection));
        Assert.Equal((RejectionReasons.TooManyLines, "$.lines"), (rejection.Reason, rejection.Field));
    }

    [Fact]
    public void Validation_MeasuresStringsInUtf16CodeUnits()
    {
        var limits = new IngestionLimits { MaxIdLength = 5 };
        var fiveChars = PlacedWith("\"o-1001\"", "\"ÄÖÜßx\"").Replace("cust-4711-secret", "c1", StringComparison.Ordinal);
        // The emoji is one character but two UTF-16 code units.
        var sixChars = PlacedWith("\"o-1001\"", "\"ÄÖÜ😀x\"");

        Assert.True(Validator(limits).TryParse(Utf8(fiveChars), out _, out var r), r.ToString());
        Assert.False(Validator(limits).TryParse(Utf8(sixChars), out _, out var rejection));
        Assert.Equal((RejectionReasons.StringTooLong, "$.order_id"), (rejection.Reason, rejection.Field));
    }

    [Fact]
    public void Validation_RejectsInvalidLimitsAtConstruction()
    {
        var exception = Assert.Throws<ArgumentException>(() => Validator(new IngestionLimits { MaxLines = 0, MaxEventAge = TimeSpan.Zero }));

        Assert.Contains("MaxLines", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxEventAge", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_IsThreadSafe()
    {
        var validator = Validator();
        var normalizer = Normalizer();
        var payloads = new[] { Placed, Cancelled, Guest, WithUnknownProperties, PlacedWith("\"quantity\":2", "\"quantity\":0") }
            .Select(Utf8).ToArray();

        Parallel.For(0, 20_000, i =>
        {
            var payload = payloads[i % payloads.Length];
            if (validator.TryParse(payload, out var order, out _))
            {
                var lines = normalizer.Normalize(order, Now);
                Assert.Equal(order.Lines.Count, lines.Length);
                Assert.Equal($"{order.OrderId}:1", lines[0].LineId);
            }
            else
            {
                Assert.Equal(4, i % payloads.Length);
            }
        });
    }

    [Fact]
    public void Validation_DetailNeverEchoesValues()
    {
        var payload = PlacedWith("\"cust-4711-secret\"", "\"cust-4711-secret\\u0001\"");

        Assert.False(Validator().TryParse(Utf8(payload), out _, out var rejection));
        Assert.Equal(RejectionReasons.ControlCharacters, rejection.Reason);
        Assert.DoesNotContain("4711", rejection.Detail, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetByteCount(rejection.Detail), rejection.Detail.Length);
    }
}
