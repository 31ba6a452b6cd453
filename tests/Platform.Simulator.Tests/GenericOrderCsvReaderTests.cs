using Platform.Contracts;
using Platform.Simulator.Import;

namespace Platform.Simulator.Tests;

public sealed class GenericOrderCsvReaderTests
{
    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "TestData", "generic-orders.csv");

    [Fact]
    public void Generic_ReadsOrdersAndReportsBadRows()
    {
        var reader = new GenericOrderCsvReader();
        var orders = reader.ReadFiles([Sample]).ToList();
        Assert.Equal(["A-1", "A-3", "A-4", "A-7"], orders.Select(o => o.OrderId));
        Assert.Equal(3, reader.Issues.Count); // "1,25" price, unparseable date, quantity "three"

        var a1 = orders[0];
        Assert.Equal(OrderEventTypes.Placed, a1.EventType);
        Assert.Equal("C000001", a1.CustomerId);
        Assert.Equal("eu-west", a1.Region);
        Assert.Equal("web", a1.Channel);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 15, 0, TimeSpan.Zero), a1.OccurredAt);
        Assert.Equal(2, a1.Lines.Count);
        Assert.Null(a1.Lines[0].PromotionId);
        Assert.Equal(new OrderLine { Sku = "10002", Quantity = 1, UnitPrice = 12.50m, PromotionId = "PROMO-00001" }, a1.Lines[1]);

        var a3 = orders[1];
        Assert.Null(a3.Region);
        Assert.Null(a3.Channel);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 11, 30, 0, TimeSpan.Zero), a3.OccurredAt); // no offset: UTC
        Assert.Equal("SKU, WITH COMMA", a3.Lines[0].Sku);
        Assert.Equal(0, a3.Lines[0].Quantity); // passed through for the validator

        Assert.Equal(OrderEventTypes.Cancelled, orders[2].EventType);
        Assert.Equal("USD", orders[3].Currency);
    }

    [Fact]
    public void Generic_ColumnsByNameWithCancelsOrderId()
    {
        const string csv = """
            sku,quantity,unit_price,order_id,event_type,occurred_at,customer_id,currency,region,channel,cancels_order_id
            X1,2,1.5,R-1,order_cancelled,2026-01-01T10:00:00+02:00,,EUR,eu-west,app,O-9
            X2,1,3,R-1,order_cancelled,2026-01-01T10:00:00+02:00,,EUR,eu-west,app,O-9
            """;
        var order = Assert.Single(new GenericOrderCsvReader().Read(new StringReader(csv)));
        Assert.Equal("O-9", order.CancelsOrderId);
        Assert.Null(order.CustomerId);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero), order.OccurredAt);
        Assert.Equal(["X1", "X2"], order.Lines.Select(l => l.Sku));
    }

    [Fact]
    public void Generic_MissingColumnThrows()
    {
        Assert.Throws<InvalidDataException>(() => new GenericOrderCsvReader().Read(new StringReader("order_id,sku\nA,B\n")).ToList());
    }
}
