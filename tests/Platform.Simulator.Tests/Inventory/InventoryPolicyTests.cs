using Platform.Simulator.Inventory;

namespace Platform.Simulator.Tests.Inventory;

public sealed class InventoryPolicyTests
{
    private static InventoryBook Book(double delayedShare, int seed = 11) =>
        new(new InventoryOptions { Seed = seed, DelayedSupplierShare = delayedShare, MinLeadTimeHours = 4, MaxLeadTimeHours = 24 });

    [Fact]
    public void Policy_AccurateForecastsPunctualSuppliers_NoLostSalesAndNeverBelowTheRiskLine()
    {
        var book = Book(delayedShare: 0);
        var scenario = new DemandScenario(skuCount: 30, seed: 3);
        scenario.Run(book, hours: 7 * 24);

        var report = book.Snapshot();
        Assert.Equal(30, report.SkusTracked);
        Assert.Empty(report.DelayedSkus);
        Assert.True(report.UnitsSold > 1000, $"sold {report.UnitsSold}");
        Assert.Equal(scenario.UnitsDemanded, report.UnitsSold);
        Assert.Equal(0, report.LostSales);
        Assert.Empty(report.Incidents);
        // The stock did turn over: it was replenished, not just started big.
        Assert.True(report.ShipmentsReceived > 30 * 24, $"received {report.ShipmentsReceived}");
        Assert.Equal(0, report.LateShipments);
        Assert.Equal(0, report.ShortShipments);
    }

    [Fact]
    public void Policy_DelayedSuppliers_TheirSkusFallBelowTheLineAndRunOut_OthersDoNot()
    {
        var book = Book(delayedShare: 0.25);
        var scenario = new DemandScenario(skuCount: 40, seed: 5);
        scenario.Run(book, hours: 7 * 24);

        var report = book.Snapshot();
        var delayed = report.DelayedSkus.ToHashSet();
        Assert.InRange(delayed.Count, 4, 20);
        Assert.True(report.LateShipments > 0 && report.ShortShipments > 0);
        // Ground truth: every incident is a delayed supplier's, and every delayed supplier's SKU has one.
        Assert.All(report.Incidents, i => Assert.True(i.SupplierDelayed && delayed.Contains(i.Sku), $"incident on punctual {i.Sku}"));
        Assert.Equal(delayed.Order(), report.Incidents.Select(i => i.Sku).Distinct().Order());
        Assert.True(report.Stockouts > 0, "no incident ran the shelf empty");
        Assert.True(report.LostSales > 0);
        Assert.Equal(report.LostSales, report.Incidents.Sum(i => i.LostSales));
        foreach (var sku in scenario.Skus.Where(s => !delayed.Contains(s)))
        {
            Assert.Equal(0, book.Position(sku)!.LostSales);
        }

        // Incidents are well formed: they end after they start, at most one is open per SKU.
        Assert.All(report.Incidents, i => Assert.True(i.End is null || i.End >= i.Start));
        Assert.All(report.Incidents.GroupBy(i => i.Sku), g => Assert.True(g.Count(i => i.End is null) <= 1));
    }

    [Fact]
    public void Policy_ForecastsTooLow_StockoutsEvenWithPunctualSuppliers()
    {
        // The other way to run out: demand half again above what was forecast. The policy only knows the forecast.
        var book = Book(delayedShare: 0);
        var scenario = new DemandScenario(skuCount: 20, seed: 9, demandScale: 1.6);
        scenario.Run(book, hours: 5 * 24);

        var report = book.Snapshot();
        Assert.NotEmpty(report.Incidents);
        Assert.Equal(scenario.UnitsDemanded, report.UnitsSold + report.LostSales);
    }

    [Fact]
    public void Policy_SameSeedSameInputs_SameBook()
    {
        InventoryReport Run()
        {
            var book = Book(delayedShare: 0.3, seed: 21);
            new DemandScenario(skuCount: 15, seed: 2).Run(book, hours: 3 * 24);
            return book.Snapshot();
        }

        var a = Run();
        var b = Run();
        Assert.Equal(a.Shipments, b.Shipments);
        Assert.Equal(a.Incidents, b.Incidents);
        Assert.Equal(a.LostSales, b.LostSales);
    }
}
