using System.Text;
using System.Text.Json;
using Platform.Contracts;
using static Platform.Ingestion.Validation.Tests.Payloads;

namespace Platform.Ingestion.Validation.Tests;

public sealed class OrderNormalizerTests
{
    private static readonly DateTimeOffset IngestedAt = new(2026, 11, 27, 12, 0, 0, 500, TimeSpan.Zero);

    public static TheoryData<string> AllValid => new() { Placed, Cancelled, Guest, WithUnknownProperties };

    private static OrderEvent Parse(string payload)
    {
        Assert.True(Validator().TryParse(Utf8(payload), out var order, out var rejection), rejection.ToString());
        return order;
    }

    private static OrderLineValidated Read(NormalizedLine line) =>
        JsonSerializer.Deserialize(line.Utf8Json, ContractsJsonContext.Default.OrderLineValidated)!;

    [Fact]
    public void Normalization_EmitsOneLinePerOrderLineWithStableIds()
    {
        var lines = Normalizer().Normalize(Parse(Placed), IngestedAt);

        Assert.Equal(["o-1001:1", "o-1001:2", "o-1001:3"], lines.Select(l => l.LineId));
        Assert.Equal(["SKU-1", "SKU-2", "SKU-3"], lines.Select(l => l.Sku));
        Assert.Equal(["SKU-1", "SKU-2", "SKU-3"], lines.Select(l => System.Text.Encoding.UTF8.GetString(l.Key)));
        Assert.All(lines.Select(Read), (m, i) =>
        {
            Assert.Equal(i + 1, m.LineNumber);
            Assert.Equal(3, m.LineCount);
            Assert.Equal(lines[i].LineId, m.LineId);
        });
    }

    [Fact]
    public void Normalization_RoundTripsThroughContractsContext()
    {
        var lines = Normalizer().Normalize(Parse(Placed), IngestedAt);
        var hash = new CustomerIdHasher(HashKey).Hash(RawCustomerId);
        var expected = new OrderLineValidated
        {
            SchemaVersion = 1,
            LineId = "o-1001:2",
            OrderId = "o-1001",
            LineNumber = 2,
            LineCount = 3,
            Kind = OrderLineKinds.Sale,
            Sku = "SKU-2",
            Quantity = 1,
            UnitPrice = 5.5m,
            Currency = "EUR",
            Region = "eu-west",
            Channel = "web",
            CustomerHash = hash,
            PromotionId = "BF26",
            OccurredAt = new DateTimeOffset(2026, 11, 27, 10, 59, 0, 123, TimeSpan.Zero),
            IngestedAt = IngestedAt,
        };

        var actual = Read(lines[1]);

        Assert.Equal(expected, actual);
        Assert.Equal(TimeSpan.Zero, actual.OccurredAt.Offset);
    }

    [Fact]
    public void Normalization_NegatesCancellations()
    {
        var lines = Normalizer().Normalize(Parse(Cancelled), IngestedAt).Select(Read).ToArray();

        Assert.Equal([-2, -1], lines.Select(l => l.Quantity));
        Assert.All(lines, l => Assert.Equal(OrderLineKinds.Cancellation, l.Kind));
        Assert.All(lines, l => Assert.Equal("o-1001", l.CancelsOrderId));
        Assert.All(lines, l => Assert.Equal("c-2002", l.OrderId));
    }

    [Fact]
    public void Normalization_KeepsSalesPositive()
    {
        var lines = Normalizer().Normalize(Parse(Placed), IngestedAt).Select(Read).ToArray();

        Assert.Equal([2, 1, 3], lines.Select(l => l.Quantity));
        Assert.All(lines, l => Assert.Equal(OrderLineKinds.Sale, l.Kind));
        Assert.All(lines, l => Assert.Null(l.CancelsOrderId));
    }

    [Theory]
    [InlineData("\"region\":\"EU-West\"", "\"region\":\"EU-West\"", "eu-west", "web")]
    [InlineData("\"region\":\"EU-West\",\"channel\":\"Web\",", "", "unknown", "unknown")]
    [InlineData("\"region\":\"EU-West\",\"channel\":\"Web\",", "\"region\":\"\",\"channel\":null,", "unknown", "unknown")]
    [InlineData("\"region\":\"EU-West\"", "\"region\":\"ÎLE-de-France\"", "île-de-france", "web")]
    public void Normalization_LowerCasesLabelsOrSaysUnknown(string find, string replace, string region, string channel)
    {
        var line = Read(Normalizer().Normalize(Parse(PlacedWith(find, replace)), IngestedAt)[0]);

        Assert.Equal((region, channel), (line.Region, line.Channel));
    }

    [Fact]
    public void Normalization_UpperCasesCurrencyOfOrdersBuiltInCode()
    {
        var order = Parse(Placed) with { Currency = "eur" };

        Assert.Equal("EUR", Read(Normalizer().Normalize(order, IngestedAt)[0]).Currency);
    }

    [Theory]
    [MemberData(nameof(AllValid))]
    public void Normalization_NeverEmitsTheRawCustomerId(string payload)
    {
        var order = Parse(payload);
        var lines = Normalizer().Normalize(order, IngestedAt);

        foreach (var line in lines)
        {
            var text = Encoding.UTF8.GetString(line.Utf8Json);
            Assert.DoesNotContain(RawCustomerId, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("customer_id", text, StringComparison.Ordinal);
            Assert.Equal(order.CustomerId is null, Read(line).CustomerHash is null);
        }
    }

    [Fact]
    public void Normalization_OmitsNullsOnTheWire()
    {
        var text = Encoding.UTF8.GetString(Normalizer().Normalize(Parse(Guest), IngestedAt)[0].Utf8Json);

        Assert.DoesNotContain("null", text, StringComparison.Ordinal);
        Assert.DoesNotContain("customer_hash", text, StringComparison.Ordinal);
        Assert.DoesNotContain("promotion_id", text, StringComparison.Ordinal);
        Assert.DoesNotContain("cancels_order_id", text, StringComparison.Ordinal);
        Assert.StartsWith("{\"schema_version\":1,", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllValid))]
    public void Normalization_RoundTripsEveryValidOrder(string payload)
    {
        var order = Parse(payload);
        var lines = Normalizer().Normalize(order, IngestedAt);

        Assert.Equal(order.Lines.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var m = Read(lines[i]);
            var sign = order.EventType == OrderEventTypes.Cancelled ? -1 : 1;
            Assert.Equal(order.OrderId, m.OrderId);
            Assert.Equal(order.Lines[i].Sku, m.Sku);
            Assert.Equal(sign * order.Lines[i].Quantity, m.Quantity);
            Assert.Equal(order.Lines[i].UnitPrice, m.UnitPrice);
            Assert.Equal(order.Lines[i].PromotionId, m.PromotionId);
            Assert.Equal(order.OccurredAt, m.OccurredAt);
            Assert.Equal(IngestedAt, m.IngestedAt);
            Assert.Equal(order.Currency, m.Currency);
        }
    }

    [Fact]
    public void Normalization_CarriesCategoryTrimmedAndLowerCased()
    {
        var payload = PlacedWith("{\"sku\":\"SKU-1\",", "{\"sku\":\"SKU-1\",\"category\":\" Home-Decor \",")
            .Replace("{\"sku\":\"SKU-2\",", "{\"sku\":\"SKU-2\",\"category\":\"KÜCHE\",", StringComparison.Ordinal);

        var lines = Normalizer().Normalize(Parse(payload), IngestedAt).Select(Read).ToArray();

        Assert.Equal(["home-decor", "küche", null], lines.Select(l => l.Category));
    }

    [Fact]
    public void Normalization_KeepsNonAsciiAndQuotesIntact()
    {
        var order = Parse(PlacedWith("\"SKU-1\"", "\"Größe \\\"XL\\\" 😀\""));

        Assert.Equal("Größe \"XL\" 😀", Read(Normalizer().Normalize(order, IngestedAt)[0]).Sku);
    }
}
