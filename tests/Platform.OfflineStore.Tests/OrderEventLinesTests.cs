using Platform.Contracts;

namespace Platform.OfflineStore.Tests;

public sealed class OrderEventLinesTests
{
    private static readonly DateTimeOffset At = new(2011, 1, 5, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Lines_look_like_what_ingestion_publishes()
    {
        var order = new OrderEvent
        {
            EventType = OrderEventTypes.Cancelled,
            OrderId = "C536379",
            CustomerId = "14527",
            OccurredAt = At,
            Currency = "GBP",
            Region = "United Kingdom",
            Lines = [new OrderLine { Sku = "D", Quantity = 1, UnitPrice = 27.5m }, new OrderLine { Sku = "22556", Quantity = 12, UnitPrice = 1.65m, Category = "  Toys " }],
        };

        var lines = OrderEventLines.Normalize(order, At.AddHours(1));
        Assert.Equal(["C536379:1", "C536379:2"], lines.Select(l => l.LineId));
        Assert.All(lines, l => Assert.Equal(OrderLineKinds.Cancellation, l.Kind));
        Assert.Equal([-1, -12], lines.Select(l => l.Quantity));
        Assert.All(lines, l => Assert.Equal("united kingdom", l.Region));
        Assert.All(lines, l => Assert.Equal("unknown", l.Channel));
        Assert.All(lines, l => Assert.Equal(2, l.LineCount));
        Assert.Equal([null, "toys"], lines.Select(l => l.Category));
        Assert.Equal(OrderEventLines.Sha256CustomerHash("14527"), lines[0].CustomerHash);
        Assert.Matches("^[0-9a-f]{32}$", lines[0].CustomerHash!);
        Assert.Equal(At, lines[0].OccurredAt);
        Assert.Equal(At.AddHours(1), lines[0].IngestedAt);
        Assert.Null(OrderEventLines.Reject(order));

        var guest = OrderEventLines.Normalize(order with { CustomerId = null, EventType = OrderEventTypes.Placed, Region = null }, At);
        Assert.All(guest, l => Assert.Null(l.CustomerHash));
        Assert.All(guest, l => Assert.Equal("unknown", l.Region));
        Assert.Equal([1, 12], guest.Select(l => l.Quantity));
    }

    [Fact]
    public void Orders_ingestion_would_reject_are_named()
    {
        var ok = new OrderEvent { OrderId = "1", OccurredAt = At, Currency = "GBP", Lines = [new OrderLine { Sku = "A", Quantity = 1, UnitPrice = 1m }] };
        Assert.Null(OrderEventLines.Reject(ok));
        Assert.Equal("quantity_not_positive", OrderEventLines.Reject(ok with { Lines = [new OrderLine { Sku = "A", Quantity = -2, UnitPrice = 1m }] }));
        Assert.Equal("quantity_too_large", OrderEventLines.Reject(ok with { Lines = [new OrderLine { Sku = "A", Quantity = 74_215, UnitPrice = 1m }] }));
        Assert.Equal("price_negative", OrderEventLines.Reject(ok with { Lines = [new OrderLine { Sku = "B", Quantity = 1, UnitPrice = -11_062.06m }] }));
        Assert.Equal("too_many_lines", OrderEventLines.Reject(ok with { Lines = Enumerable.Repeat(ok.Lines[0], 201).ToList() }));
        Assert.Equal("no_lines", OrderEventLines.Reject(ok with { Lines = [] }));
        Assert.Equal("invalid_currency", OrderEventLines.Reject(ok with { Currency = "gbp" }));
    }
}
