using Platform.Contracts;
using Platform.Simulator.Inventory;

namespace Platform.Simulator.Tests.Inventory;

public sealed class InventoryBookTests
{
    private static readonly DateTimeOffset T0 = DemandScenario.Start;

    /// <summary>A flat forecast: P50 and P90 units every hour for 24 hours from <paramref name="origin"/>.</summary>
    private static DemandForecast Flat(string sku, DateTimeOffset origin, double p50 = 2, double p90 = 3) => new()
    {
        Sku = sku,
        FeatureAsOf = origin,
        StepUnit = "hour",
        Steps = Enumerable.Range(0, 24).Select(h => new ForecastStep { Step = h + 1, PeriodStart = origin.AddHours(h), P10 = p50 / 2, P50 = p50, P90 = p90 }).ToList(),
    };

    private static InventoryOptions Options(double delayedShare = 0, double lead = 6) => new()
    {
        Seed = 1,
        DelayedSupplierShare = delayedShare,
        MinLeadTimeHours = lead,
        MaxLeadTimeHours = lead,
    };

    [Fact]
    public void Book_FirstForecast_StocksTheSkuAtItsOrderUpToLevel()
    {
        var book = new InventoryBook(Options());
        Assert.Null(book.ApplyForecast(Flat("A", T0)));

        var position = book.Position("A")!;
        // Flat 2 (P50) / 3 (P90) an hour, lead 6 h, review 1 h: 7×2 + 7×1 (safety) + 6×3 (floor: lead-time P90) = 39.
        Assert.Equal(39, position.OnHand);
        Assert.Equal(0, position.OnOrder);
        Assert.Equal(6, position.LeadTimeHours);
        Assert.Equal(18, position.RiskLine, 9);
        Assert.Null(book.Position("B"));
    }

    [Fact]
    public void Book_Replenishment_LandsAfterTheLeadTimeAndNotBefore()
    {
        var book = new InventoryBook(Options(lead: 6));
        book.ApplyForecast(Flat("A", T0));
        Assert.Null(book.ApplySale("l1", "A", 5, T0.AddMinutes(20)));
        // The review on the hour tops the position back up to 39 with an order of 5, due 6 hours later.
        book.AdvanceTo(T0.AddHours(1));
        var order = Assert.Single(book.Snapshot().Shipments);
        Assert.Equal(T0.AddHours(1), order.OrderedAt);
        Assert.Equal(T0.AddHours(7), order.ArrivesAt);
        Assert.Equal(5, order.Quantity);
        Assert.Equal(5, order.Delivered);
        Assert.Equal((34, 5), (book.Position("A")!.OnHand, book.Position("A")!.OnOrder));

        book.AdvanceTo(T0.AddHours(7).AddTicks(-1));
        Assert.Equal((34, 5), (book.Position("A")!.OnHand, book.Position("A")!.OnOrder));
        book.AdvanceTo(T0.AddHours(7));
        Assert.Equal((39, 0), (book.Position("A")!.OnHand, book.Position("A")!.OnOrder));
        Assert.Equal(1, book.Snapshot().ShipmentsReceived);
    }

    [Fact]
    public void Book_DelayedSupplier_ShipsLaterAndLessThanOrdered()
    {
        var book = new InventoryBook(Options(delayedShare: 1, lead: 6));
        book.ApplyForecast(Flat("A", T0));
        book.ApplySale("l1", "A", 20, T0.AddMinutes(20));
        book.AdvanceTo(T0.AddHours(1));

        var order = Assert.Single(book.Snapshot().Shipments);
        Assert.True(book.Position("A")!.SupplierDelayed);
        // Defaults: extra delay 1.5 to 3 lead times, fill 40 % to 80 %.
        Assert.InRange(order.ArrivesAt, order.DueAt.AddHours(9), order.DueAt.AddHours(18));
        Assert.InRange(order.Delivered, 8, 16);
        Assert.True(order.Late && order.Short);
    }

    [Fact]
    public void Book_SaleBeyondStock_StopsAtZeroAndCountsTheRestAsLostSales()
    {
        var book = new InventoryBook(Options());
        book.ApplyForecast(Flat("A", T0));
        Assert.Null(book.ApplySale("l1", "A", 44, T0.AddMinutes(5)));

        var position = book.Position("A")!;
        Assert.Equal(0, position.OnHand);
        Assert.Equal(39, position.UnitsSold);
        Assert.Equal(5, position.LostSales);
        var incident = Assert.Single(book.Snapshot().Incidents);
        Assert.Equal(("A", T0.AddMinutes(5), 0.0, 5L), (incident.Sku, incident.Start, incident.OnHandAtStart, incident.LostSales));
        Assert.True(incident.RanOut);
        Assert.Null(incident.End);

        // The next sale finds nothing either; stock does not go negative.
        book.ApplySale("l2", "A", 3, T0.AddMinutes(6));
        Assert.Equal((0L, 8L), (book.Position("A")!.OnHand, book.Position("A")!.LostSales));
        Assert.Equal(8, book.Snapshot().Incidents.Single().LostSales);
    }

    [Fact]
    public void Book_IncidentEnds_WhenStockIsBackAtTheLine()
    {
        var book = new InventoryBook(Options(lead: 6));
        book.ApplyForecast(Flat("A", T0));
        book.ApplySale("l1", "A", 25, T0.AddMinutes(5)); // 14 left, line 18
        var open = Assert.Single(book.Snapshot().Incidents);
        Assert.Null(open.End);
        Assert.Equal(18, open.RiskLineAtStart, 9);

        // Ordered 25 at 01:00, lands at 07:00: 39 on hand, above the line again.
        book.AdvanceTo(T0.AddHours(8));
        var closed = Assert.Single(book.Snapshot().Incidents);
        Assert.Equal(T0.AddHours(7), closed.End);
        Assert.False(closed.RanOut);
    }

    [Fact]
    public void Book_DuplicateLineId_SellsOnce()
    {
        var book = new InventoryBook(Options());
        book.ApplyForecast(Flat("A", T0));
        book.ApplySale("o1:1", "A", 4, T0.AddMinutes(1));
        book.ApplySale("o1:1", "A", 4, T0.AddMinutes(1));

        Assert.Equal(35, book.Position("A")!.OnHand);
        Assert.Equal(1, book.Snapshot().DuplicateLines);
    }

    [Fact]
    public void Book_Cancellation_ReturnsUnitsButNeverMoreThanWereSold()
    {
        var book = new InventoryBook(Options());
        book.ApplyForecast(Flat("A", T0));
        book.ApplySale("o1:1", "A", 4, T0.AddMinutes(1));
        book.ApplySale("c1:1", "A", -10, T0.AddMinutes(2));

        Assert.Equal(39, book.Position("A")!.OnHand);
        Assert.Equal(4, book.Snapshot().UnitsReturned);
    }

    [Fact]
    public void Book_LinesBeforeTheFirstForecast_AreCountedNotApplied()
    {
        var book = new InventoryBook(Options());
        Assert.Null(book.ApplySale("o1:1", "A", 4, T0));
        Assert.Null(book.Position("A"));
        Assert.Equal(1, book.Snapshot().LinesBeforeFirstForecast);
    }

    [Fact]
    public void Book_BadInput_RefusedWithItsReasonAndCounted()
    {
        var book = new InventoryBook(Options());
        book.ApplyForecast(Flat("A", T0));
        var good = Flat("B", T0);

        Assert.Equal(InventoryRejections.MissingSku, book.ApplyForecast(good with { Sku = "" }));
        Assert.Equal(InventoryRejections.EmptyForecast, book.ApplyForecast(good with { Steps = [] }));
        Assert.Equal(InventoryRejections.UnsupportedStepUnit, book.ApplyForecast(good with { StepUnit = "week" }));
        Assert.Equal(InventoryRejections.BadQuantile, book.ApplyForecast(good with { Steps = [good.Steps[0] with { P90 = double.NaN }] }));
        Assert.Equal(InventoryRejections.BadQuantile, book.ApplyForecast(good with { Steps = [good.Steps[0] with { P50 = -1 }] }));
        Assert.Equal(InventoryRejections.QuantilesOutOfOrder, book.ApplyForecast(good with { Steps = [good.Steps[0] with { P90 = 1 }] }));
        Assert.Equal(InventoryRejections.TimeOutOfRange, book.ApplyForecast(Flat("B", T0.AddYears(5))));
        Assert.Equal(InventoryRejections.BadQuantity, book.ApplySale("x", "A", 0, T0));
        Assert.Equal(InventoryRejections.MissingSku, book.ApplySale("x", " ", 1, T0));
        Assert.Equal(InventoryRejections.MissingTime, book.ApplySale("x", "A", 1, default));
        Assert.Equal(InventoryRejections.TimeOutOfRange, book.ApplySale("x", "A", 1, T0.AddYears(5)));

        var report = book.Snapshot();
        Assert.Equal(1, report.SkusTracked);
        Assert.Equal(2, report.Rejected[InventoryRejections.BadQuantile]);
        Assert.Equal(2, report.Rejected[InventoryRejections.TimeOutOfRange]);
        Assert.Equal(11, report.Rejected.Values.Sum());
        Assert.Equal(T0, report.Clock);
        Assert.Equal(39, book.Position("A")!.OnHand);
    }

    [Fact]
    public void Book_DailyForecast_SpreadsEachDayOverItsHours()
    {
        var book = new InventoryBook(Options(lead: 6));
        var daily = new DemandForecast
        {
            Sku = "A",
            FeatureAsOf = T0,
            StepUnit = "day",
            Steps = [new ForecastStep { Step = 1, PeriodStart = T0, P10 = 12, P50 = 48, P90 = 72 }],
        };
        Assert.Null(book.ApplyForecast(daily));
        // 2 an hour (P50), 3 an hour (P90): the same stock as the hourly flat forecast.
        Assert.Equal(39, book.Position("A")!.OnHand);
    }

    [Fact]
    public void Book_Publishing_ThrottledToOnceAnHourPerSku_ButAtOnceWhenStockFallsBelowTheLine()
    {
        var book = new InventoryBook(Options(lead: 6));
        book.ApplyForecast(Flat("A", T0));
        book.ApplyForecast(Flat("B", T0));

        var first = book.PendingLevels();
        Assert.Equal(["A", "B"], first.Select(l => l.Sku));
        var a = first[0];
        Assert.Equal((39.0, 0.0, 6.0, T0, "all"), (a.OnHand, a.OnOrder, a.LeadTimeHours, a.AsOf, a.Region));
        book.MarkPublished(first);
        Assert.Empty(book.PendingLevels());

        // A small sale within the hour: throttled.
        book.ApplySale("1", "A", 2, T0.AddMinutes(10));
        Assert.Empty(book.PendingLevels());

        // A sale that takes B below its line (18): published at once.
        book.ApplySale("2", "B", 25, T0.AddMinutes(20));
        var urgent = Assert.Single(book.PendingLevels());
        Assert.Equal(("B", 14.0), (urgent.Sku, urgent.OnHand));
        book.MarkPublished([urgent]);

        // An hour after A's last level, its change goes out (with the order the 01:00 review placed).
        book.AdvanceTo(T0.AddHours(1));
        var due = book.PendingLevels().Single(l => l.Sku == "A");
        Assert.Equal((37.0, 2.0, T0.AddHours(1)), (due.OnHand, due.OnOrder, due.AsOf));
        Assert.Equal(3, book.Snapshot().LevelsPublished);
    }

    [Fact]
    public void Book_CountDetected_MatchesStockoutAlertsBySkuAndTime()
    {
        var book = new InventoryBook(Options(lead: 6));
        book.ApplyForecast(Flat("A", T0));
        book.ApplyForecast(Flat("B", T0));
        book.ApplySale("1", "A", 30, T0.AddMinutes(10));
        book.ApplySale("2", "B", 30, T0.AddMinutes(10));
        var report = book.Snapshot();
        Assert.Equal(2, report.Incidents.Count);

        AnomalyAlert Alert(string sku, string kind, DateTimeOffset window) => new() { Sku = sku, Kind = kind, WindowStart = window };
        var alerts = new[]
        {
            Alert("A", AnomalyKinds.StockoutRisk, T0.AddHours(1)),
            Alert("B", AnomalyKinds.DemandSpike, T0.AddHours(1)),
            Alert("B", AnomalyKinds.StockoutRisk, T0.AddHours(-5)),
        };
        Assert.Equal(1, report.CountDetected(alerts, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Supplier_DrawnFromSeedAndSkuAlone()
    {
        var options = new InventoryOptions { Seed = 4, DelayedSupplierShare = 0.1 };
        var skus = Enumerable.Range(0, 2000).Select(i => $"S{i}").ToList();
        var first = skus.Select(s => SupplierProfile.Draw(s, options, out _)).ToList();
        var again = skus.AsEnumerable().Reverse().Select(s => SupplierProfile.Draw(s, options, out _)).Reverse().ToList();

        Assert.Equal(first, again);
        Assert.All(first, p => Assert.InRange(p.LeadTimeHours, 4, 24));
        Assert.InRange(first.Count(p => p.Delayed), 140, 260);
        Assert.NotEqual(first, skus.Select(s => SupplierProfile.Draw(s, new InventoryOptions { Seed = 5 }, out _)).ToList());
    }

    [Fact]
    public void Options_OutOfRange_ThrowNamingTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new InventoryBook(new InventoryOptions { MinLeadTimeHours = 10, MaxLeadTimeHours = 5 }));
        Assert.Contains("MinLeadTimeHours", ex.Message);
        Assert.Throws<ArgumentException>(() => new InventoryBook(new InventoryOptions { DelayedSupplierShare = 1.5 }));
    }
}
