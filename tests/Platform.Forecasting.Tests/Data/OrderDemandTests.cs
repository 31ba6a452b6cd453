using System.Text.Json;
using Platform.Contracts;
using Platform.Forecasting.Data;
using Platform.Simulator;
using Platform.Simulator.Import;

namespace Platform.Forecasting.Tests.Data;

public sealed class OrderDemandTests
{
    // Rows in the Online Retail format, made up for the test (not copied from the data set).
    private const string OnlineRetailRows = """
        InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
        500001,85123A,HEART HOLDER,6,2011-03-01 08:26:00,2.55,17850.0,United Kingdom
        500001,POST,POSTAGE,1,2011-03-01 08:26:00,18.00,17850.0,United Kingdom
        500001,22423,"CAKE STAND, REGENCY",2,2011-03-01 08:26:00,12.75,17850.0,United Kingdom
        500002,85123A,HEART HOLDER,4,2011-03-01 15:00:00,2.55,,United Kingdom
        C500003,85123A,HEART HOLDER,-6,2011-03-02 09:00:00,2.55,17850.0,United Kingdom
        500004,22423,"CAKE STAND, REGENCY",-3,2011-03-02 10:00:00,0.00,,United Kingdom
        500005,22423,"CAKE STAND, REGENCY",5,2011-03-03 10:00:00,0.00,,United Kingdom
        500006,22423,"CAKE STAND, REGENCY",1,2011-03-03 11:00:00,12.75,,United Kingdom
        """;

    [Fact]
    public void OrderDemand_CountsPlacedProductLinesOnly()
    {
        var builder = new DemandSeriesBuilder(TimeSpan.FromDays(1));
        var orders = new OnlineRetailCsvReader().Read(new StringReader(OnlineRetailRows));

        var summary = OrderDemand.Add(builder, orders, OrderDemand.IsOnlineRetailProduct);

        // Cancellation C500003 is not demand; POST is not a product; the zero-price rows are adjustments.
        Assert.Equal(new OrderDemandSummary(PlacedOrders: 5, CancellationsSkipped: 1, LinesAdded: 4, LinesSkipped: 3), summary);
        var series = builder.Build(top: 10).ToDictionary(s => s.Id);
        Assert.Equal(["85123A", "22423"], series.Keys);
        Assert.Equal([10.0, 0, 0], series["85123A"].Values);
        Assert.Equal([2.0, 0, 1], series["22423"].Values);
        Assert.Equal(new DateTime(2011, 3, 1, 0, 0, 0, DateTimeKind.Utc), series["22423"].Start);
    }

    [Fact]
    public void OrderDemand_FromTheSimulatorSumsToThePlacedUnits()
    {
        var options = new SimulatorOptions { Seed = 7, SkuCount = 50, MeanOrdersPerSecond = 40, TimeCompression = 3600, MalformedShare = 0, DuplicateShare = 0 };
        var orders = new OrderSimulator(options).Generate(TimeSpan.FromSeconds(48))
            .Where(e => e.Kind == SimulatedEventKind.Valid)
            .Select(e => JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!)
            .ToList();
        var builder = new DemandSeriesBuilder(TimeSpan.FromHours(1));

        OrderDemand.Add(builder, orders);
        var series = builder.Build(top: 50, from: options.SimulatedStart.UtcDateTime);

        var placedUnits = orders.Where(o => o.EventType == OrderEventTypes.Placed).SelectMany(o => o.Lines).Sum(l => (double)l.Quantity);
        Assert.Equal(placedUnits, series.Sum(s => s.Values.Sum()));
        Assert.All(series, s => Assert.Equal(48, s.Length));
        Assert.All(series, s => Assert.Equal(options.SimulatedStart.UtcDateTime, s.Start));
        // The daily cycle is there: the busiest SKU sells more from 9:00 to 17:00 than from 0:00 to 8:00.
        var top = series[0].Values;
        Assert.True(top[9..17].Sum() > 5 * top[0..8].Sum());
    }
}
