using Platform.Contracts;
using Platform.Simulator.Import;

namespace Platform.Simulator.Tests;

public sealed class OnlineRetailCsvReaderTests
{
    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "TestData", "online-retail-2010-12-01-sample.csv");

    private static List<OrderEvent> ReadSample(out OnlineRetailCsvReader reader)
    {
        reader = new OnlineRetailCsvReader();
        return reader.ReadFiles([Sample]).ToList();
    }

    [Fact]
    public void OnlineRetail_GroupsConsecutiveRowsByInvoice()
    {
        var orders = ReadSample(out var reader);
        Assert.Empty(reader.Issues);
        Assert.Equal(267, orders.Sum(o => o.Lines.Count));
        Assert.Equal(orders.Count, orders.Select(o => o.OrderId).Distinct().Count());

        var first = orders[0];
        Assert.Equal("536365", first.OrderId);
        Assert.Equal(OrderEventTypes.Placed, first.EventType);
        Assert.Equal(7, first.Lines.Count);
        Assert.Equal("17850", first.CustomerId);
        Assert.Equal("GBP", first.Currency);
        Assert.Equal("United Kingdom", first.Region);
        Assert.Null(first.Channel);
        Assert.Equal(new DateTimeOffset(2010, 12, 1, 8, 26, 0, TimeSpan.Zero), first.OccurredAt);
        Assert.Equal(new OrderLine { Sku = "85123A", Quantity = 6, UnitPrice = 2.55m }, first.Lines[0]);

        // The Online Retail export has no category column.
        Assert.All(orders.SelectMany(o => o.Lines), l => Assert.Null(l.Category));
    }

    [Fact]
    public void OnlineRetail_CancellationHasPositiveQuantities()
    {
        var orders = ReadSample(out _);
        var cancel = orders.Single(o => o.OrderId == "C536379");
        Assert.Equal(OrderEventTypes.Cancelled, cancel.EventType);
        Assert.Null(cancel.CancelsOrderId);
        Assert.Equal(new OrderLine { Sku = "D", Quantity = 1, UnitPrice = 27.5m }, Assert.Single(cancel.Lines));
        Assert.Equal(3, orders.Count(o => o.EventType == OrderEventTypes.Cancelled));
    }

    [Fact]
    public void OnlineRetail_QuotedFieldsEmptyCustomersAndOddRowsDoNotBreakIt()
    {
        var orders = ReadSample(out _);
        // "AIRLINE LOUNGE,METAL SIGN" is one quoted field: the price after it is still read.
        Assert.Contains(orders.Single(o => o.OrderId == "536381").Lines, l => l.Sku == "82567" && l.UnitPrice == 2.1m && l.Quantity == 2);
        // A quoted description with an escaped quote.
        Assert.Equal(48, Assert.Single(orders.Single(o => o.OrderId == "536477").Lines).Quantity);
        // Empty CustomerID: a guest order. Price 0 and an empty description are passed through.
        Assert.Null(orders.Single(o => o.OrderId == "536544").CustomerId);
        var odd = orders.Single(o => o.OrderId == "536414");
        Assert.Null(odd.CustomerId);
        Assert.Equal(0m, Assert.Single(odd.Lines).UnitPrice);
        Assert.Contains(orders.SelectMany(o => o.Lines), l => l.Sku == "POST");
    }

    [Fact]
    public void OnlineRetail_BadRowsAreReportedNotThrown()
    {
        const string csv = """
            InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
            1,A,x,1,2011-01-01 10:00:00,1.0,12345.0,France
            1,B,x,many,2011-01-01 10:00:00,1.0,12345.0,France
            2,A,x,0,2011-01-01 11:00:00,1.0,,France
            3,A,x,1,yesterday,1.0,,France
            4,A,"a ""quoted"", value",-5,12/9/2011 12:50,-2.5,,Spain
            """;
        var reader = new OnlineRetailCsvReader();
        var orders = reader.Read(new StringReader(csv), "inline").ToList();
        Assert.Equal(["1", "2", "4"], orders.Select(o => o.OrderId));
        Assert.Single(orders[0].Lines);
        Assert.Equal(0, orders[1].Lines[0].Quantity);
        Assert.Equal(-5, orders[2].Lines[0].Quantity);
        Assert.Equal(-2.5m, orders[2].Lines[0].UnitPrice);
        Assert.Equal(new DateTimeOffset(2011, 12, 9, 12, 50, 0, TimeSpan.Zero), orders[2].OccurredAt);
        Assert.Equal(2, reader.Issues.Count);
        Assert.Equal(3, reader.Issues[0].LineNumber);
    }

    [Fact]
    public void OnlineRetail_WrongHeaderThrows()
    {
        var reader = new OnlineRetailCsvReader();
        Assert.Throws<InvalidDataException>(() => reader.Read(new StringReader("a,b,c\n1,2,3\n")).ToList());
    }

    [Fact]
    public void OnlineRetail_ScanSpanFindsFirstAndLast()
    {
        var span = OnlineRetailCsvReader.ScanSpan([Sample]);
        Assert.NotNull(span);
        Assert.Equal(new DateTimeOffset(2010, 12, 1, 8, 26, 0, TimeSpan.Zero), span.First);
        Assert.Equal(new DateTimeOffset(2010, 12, 1, 14, 32, 0, TimeSpan.Zero), span.Last);
    }
}
