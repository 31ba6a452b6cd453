using System.Text.Json;
using Platform.Contracts;

namespace Platform.Simulator.Tests;

public sealed class OrderSimulatorTests(SimulatedRun run) : IClassFixture<SimulatedRun>
{
    private static List<SimulatedEvent> Small(int seed) =>
        new OrderSimulator(new SimulatorOptions { Seed = seed, MeanOrdersPerSecond = 100 }).Generate(TimeSpan.FromSeconds(48)).ToList();

    [Fact]
    public void Generate_SameSeed_GivesIdenticalBytes()
    {
        var a = Small(1);
        var b = Small(1);
        Assert.True(a.Count > 1000);
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Payload, b[i].Payload);
            Assert.Equal(a[i].RealOffset, b[i].RealOffset);
            Assert.Equal(a[i].Kind, b[i].Kind);
            Assert.Equal(a[i].Key, b[i].Key);
            Assert.Equal(a[i].ExpectedRejectionReason, b[i].ExpectedRejectionReason);
        }
    }

    [Fact]
    public void Generate_TwiceOnOneSimulator_GivesIdenticalBytes()
    {
        var simulator = new OrderSimulator(new SimulatorOptions { Seed = 3, MeanOrdersPerSecond = 50 });
        var a = simulator.Generate(TimeSpan.FromSeconds(24)).Select(e => Convert.ToHexString(e.Payload)).ToList();
        var b = simulator.Generate(TimeSpan.FromSeconds(24)).Select(e => Convert.ToHexString(e.Payload)).ToList();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Generate_DifferentSeed_GivesDifferentEvents()
    {
        var a = Small(1).Take(200).Select(e => Convert.ToHexString(e.Payload));
        var b = Small(2).Take(200).Select(e => Convert.ToHexString(e.Payload));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Generate_IsLazy()
    {
        // Ten simulated years: only the first events are ever produced.
        var simulator = new OrderSimulator(new SimulatorOptions { MeanOrdersPerSecond = 1000 });
        var first = simulator.Generate(TimeSpan.FromHours(24)).Take(10).ToList();
        Assert.Equal(10, first.Count);
    }

    [Fact]
    public void Generate_EveryLineCarriesItsSkusCatalogCategory()
    {
        var categoryOfSku = run.Simulator.Catalog.Items.ToDictionary(i => i.Sku, i => i.Category);
        var lines = run.Orders.SelectMany(o => o.Lines).ToList();

        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Equal(categoryOfSku[l.Sku], l.Category));
        Assert.True(lines.Select(l => l.Category).Distinct().Count() >= 5, "lines spread over the catalog's categories");
    }

    [Fact]
    public void Catalog_HasAThousandSkusWithALongTail()
    {
        Assert.True(run.Simulator.Catalog.Count >= 1000);
        Assert.Equal(run.Simulator.Catalog.Count, run.Simulator.Catalog.Items.Select(i => i.Sku).Distinct().Count());
        Assert.True(run.Simulator.Catalog.Categories.Count >= 5);

        var units = run.Placed.SelectMany(o => o.Lines).GroupBy(l => l.Sku).Select(g => g.Sum(l => (double)l.Quantity)).OrderDescending().ToArray();
        var top10 = units.Take(units.Length / 10).Sum() / units.Sum();
        Assert.True(top10 > 0.5, $"top 10% of SKUs hold {top10:P0} of units");
        Assert.True(units.Length > 800, "the tail sells too");
    }

    [Fact]
    public void Generate_ValidEventsFollowTheContract()
    {
        var end = run.Simulator.SimulatedEnd;
        Assert.NotEmpty(run.Orders);
        foreach (var o in run.Orders)
        {
            Assert.InRange(o.Lines.Count, 1, 200);
            Assert.All(o.Lines, l => Assert.InRange(l.Quantity, 1, 10_000));
            Assert.All(o.Lines, l => Assert.True(l.UnitPrice > 0));
            Assert.Equal(o.Lines.Count, o.Lines.Select(l => l.Sku).Distinct().Count());
            Assert.Equal("EUR", o.Currency);
            Assert.InRange(o.OccurredAt, run.Options.SimulatedStart, end);
            Assert.True(o.OrderId.Length <= 64);
            Assert.Contains(o.Region, run.Simulator.Regions);
            Assert.Contains(o.Channel, Regions.Channels);
        }

        var offsets = run.Events.Select(e => e.RealOffset).ToList();
        Assert.Equal(offsets.Order(), offsets);
        Assert.Equal(Enumerable.Range(0, run.Events.Count).Select(i => (long)i), run.Events.Select(e => e.Sequence));
        Assert.All(run.Events, e => Assert.Equal(e.OrderId, e.Key));
    }

    [Fact]
    public void Generate_HasMultiLineOrdersCustomersAndGuests()
    {
        var lines = run.Placed.Select(o => o.Lines.Count).Order().ToArray();
        Assert.InRange(lines[lines.Length / 2], 8, 25);
        Assert.InRange(lines.Count(n => n == 1) / (double)lines.Length, 0.05, 0.25);

        var guests = run.Placed.Count(o => o.CustomerId is null) / (double)run.Placed.Count;
        Assert.InRange(guests, 0.08, 0.16);
        var perCustomer = run.Placed.Where(o => o.CustomerId is not null).GroupBy(o => o.CustomerId).ToList();
        Assert.Contains(perCustomer, g => g.Count() >= 5);
        Assert.All(perCustomer, g => Assert.Matches("^C[0-9]{6}$", g.Key!));
    }

    [Fact]
    public void Generate_HasPromotionsAndSeveralRegionsAndChannels()
    {
        Assert.NotEmpty(run.Simulator.Promotions);
        Assert.Contains(run.Placed.SelectMany(o => o.Lines), l => l.PromotionId is not null);
        Assert.True(run.Placed.Select(o => o.Region).Distinct().Count() >= 4);
        Assert.True(run.Placed.Select(o => o.Channel).Distinct().Count() >= 3);
    }

    [Fact]
    public void Promotions_AHistoryAndTheLiveRunAfterIt_ShareThePromotionsOnAtTheSwitch()
    {
        // As the demo does: ten simulated days of history on the live run's catalog with another event seed, then the live day.
        var liveStart = new DateTimeOffset(2026, 3, 10, 14, 30, 0, TimeSpan.Zero);
        var history = new OrderSimulator(new SimulatorOptions { Seed = 991, CatalogSeed = 7, SimulatedStart = liveStart.AddDays(-10), TimeCompression = 86_400 });
        var live = new OrderSimulator(new SimulatorOptions { Seed = 7, SimulatedStart = liveStart, TimeCompression = 86_400 });
        _ = history.Generate(TimeSpan.FromSeconds(10));
        _ = live.Generate(TimeSpan.FromSeconds(1));

        var onAtSwitch = history.Promotions.Where(p => p.Start <= liveStart && p.End > liveStart).ToList();
        Assert.NotEmpty(onAtSwitch);
        Assert.Equal(onAtSwitch, live.Promotions.Where(p => p.Start <= liveStart).ToList());
        // And the calendar is not one promotion list for every shop: another catalog has other promotions.
        var otherShop = new OrderSimulator(new SimulatorOptions { Seed = 8, SimulatedStart = liveStart, TimeCompression = 86_400 });
        _ = otherShop.Generate(TimeSpan.FromSeconds(1));
        Assert.NotEqual(live.Promotions.Select(p => (p.Sku, p.Start)), otherShop.Promotions.Select(p => (p.Sku, p.Start)));
    }

    [Fact]
    public void Generate_CancellationsReferenceAnEarlierOrder()
    {
        var placed = new HashSet<string>();
        var cancellations = 0;
        foreach (var o in run.Orders)
        {
            if (o.EventType == OrderEventTypes.Placed)
            {
                placed.Add(o.OrderId);
                continue;
            }

            cancellations++;
            Assert.Equal(OrderEventTypes.Cancelled, o.EventType);
            Assert.NotNull(o.CancelsOrderId);
            Assert.Contains(o.CancelsOrderId, placed);
            Assert.NotEqual(o.CancelsOrderId, o.OrderId);
        }

        var share = cancellations / (double)run.Placed.Count;
        Assert.InRange(share, 0.015, 0.045);
        Assert.Equal(run.Orders.Count, run.Orders.Select(o => o.OrderId).Distinct().Count());
    }

    [Fact]
    public void Generate_HasWeeklyAndDailyPattern()
    {
        var byDay = run.Placed.GroupBy(o => o.OccurredAt.DayOfWeek).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byDay[DayOfWeek.Thursday] > 1.5 * byDay[DayOfWeek.Sunday]);
        Assert.True(byDay[DayOfWeek.Sunday] > 3 * byDay[DayOfWeek.Saturday]);

        var byHour = run.Placed.GroupBy(o => o.OccurredAt.Hour).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byHour[12] > 10 * byHour.GetValueOrDefault(3));
        Assert.True(byHour[12] > byHour[17]);
    }

    [Fact]
    public void Generate_SharesOfDuplicatesAndMalformedAreAsConfigured()
    {
        double Share(SimulatedEventKind kind) => run.Events.Count(e => e.Kind == kind) / (double)run.Events.Count;
        Assert.InRange(Share(SimulatedEventKind.Malformed), 0.016, 0.024);
        Assert.InRange(Share(SimulatedEventKind.Duplicate), 0.007, 0.013);
    }

    [Fact]
    public void Generate_DuplicatesRepeatTheBytesOfAnEarlierEvent()
    {
        var seen = new Dictionary<string, (long Sequence, byte[] Payload)>();
        var duplicates = 0;
        foreach (var e in run.Events)
        {
            if (e.Kind == SimulatedEventKind.Valid) seen[e.OrderId!] = (e.Sequence, e.Payload);
            if (e.Kind != SimulatedEventKind.Duplicate) continue;
            duplicates++;
            Assert.True(seen.TryGetValue(e.OrderId!, out var original), $"duplicate {e.OrderId} before its original");
            Assert.Equal(original.Payload, e.Payload);
            Assert.True(original.Sequence < e.Sequence);
            Assert.Null(e.ExpectedRejectionReason);
        }

        Assert.True(duplicates > 100);
    }

    [Fact]
    public void Generate_EveryMalformedKindAppearsWithItsLabel()
    {
        var malformed = run.Events.Where(e => e.Kind == SimulatedEventKind.Malformed).ToList();
        var expected = RejectionReasons.All.Where(r => r != RejectionReasons.ProcessingError).Order();
        Assert.Equal(expected, malformed.Select(e => e.ExpectedRejectionReason!).Distinct().Order());
        Assert.All(run.Events.Where(e => e.Kind != SimulatedEventKind.Malformed), e => Assert.Null(e.ExpectedRejectionReason));
    }

    [Fact]
    public void Generate_MalformedPayloadsBreakTheirRule()
    {
        var wallEnd = run.Simulator.SimulatedEnd; // default wall clock: the stream ends at now
        foreach (var e in run.Events.Where(e => e.Kind == SimulatedEventKind.Malformed))
        {
            var reason = e.ExpectedRejectionReason;
            switch (reason)
            {
                case RejectionReasons.EmptyPayload:
                    Assert.Empty(e.Payload);
                    continue;
                case RejectionReasons.PayloadTooLarge:
                    Assert.True(e.Payload.Length > 65_536);
                    continue;
                case RejectionReasons.MalformedJson:
                    Assert.False(IsJsonObject(e.Payload));
                    continue;
            }

            Assert.True(e.Payload.Length <= 65_536, reason);
            using var doc = JsonDocument.Parse(e.Payload);
            var root = doc.RootElement;
            var lines = root.GetProperty("lines");
            switch (reason)
            {
                case RejectionReasons.UnsupportedSchemaVersion:
                    Assert.NotEqual(1, root.GetProperty("schema_version").GetInt32());
                    break;
                case RejectionReasons.UnknownEventType:
                    Assert.DoesNotContain(root.GetProperty("event_type").GetString(), new[] { OrderEventTypes.Placed, OrderEventTypes.Cancelled });
                    break;
                case RejectionReasons.MissingField:
                    Assert.False(root.TryGetProperty("order_id", out _) && root.TryGetProperty("occurred_at", out _));
                    break;
                case RejectionReasons.NoLines:
                    Assert.Equal(0, lines.GetArrayLength());
                    break;
                case RejectionReasons.TooManyLines:
                    Assert.True(lines.GetArrayLength() > 200);
                    break;
                case RejectionReasons.QuantityNotPositive:
                    Assert.True(lines[0].GetProperty("quantity").GetInt32() <= 0);
                    break;
                case RejectionReasons.QuantityTooLarge:
                    Assert.True(lines[0].GetProperty("quantity").GetInt32() > 10_000);
                    break;
                case RejectionReasons.PriceNegative:
                    Assert.True(lines[0].GetProperty("unit_price").GetDecimal() < 0);
                    break;
                case RejectionReasons.InvalidCurrency:
                    Assert.DoesNotMatch("^[A-Z]{3}$", root.GetProperty("currency").GetString());
                    break;
                case RejectionReasons.TimestampTooOld:
                    Assert.True(root.GetProperty("occurred_at").GetDateTimeOffset() < e.OccurredAt.AddDays(-30));
                    break;
                case RejectionReasons.TimestampInFuture:
                    Assert.True(root.GetProperty("occurred_at").GetDateTimeOffset() > wallEnd.AddMinutes(5));
                    break;
                case RejectionReasons.StringTooLong:
                    Assert.True(LongestString(root) > 32);
                    break;
                case RejectionReasons.ControlCharacters:
                    Assert.Contains(Strings(root), s => s.Any(char.IsControl));
                    break;
            }

            // Otherwise valid: a reader that does not check the broken rule still gets an order.
            if (reason is not (RejectionReasons.MissingField or RejectionReasons.InvalidField))
                Assert.NotNull(JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent));
        }
    }

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private static bool IsJsonObject(byte[] payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int LongestString(JsonElement e) => Strings(e).Max(s => s.Length);

    [Fact]
    public void Anomalies_AreLabelledAndAvailableBeforeEnumeration()
    {
        var simulator = new OrderSimulator(new SimulatorOptions { Seed = 7, MeanOrdersPerSecond = 200 });
        _ = simulator.Generate(SimulatedRun.Duration);
        Assert.Equal(run.Simulator.Anomalies, simulator.Anomalies);
        Assert.Equal(SimulatedAnomalyKinds.All.Order(), run.Simulator.Anomalies.Select(a => a.Kind).Distinct().Order());
        foreach (var a in run.Simulator.Anomalies)
        {
            Assert.True(a.End > a.Start);
            Assert.InRange(a.Start, run.Options.SimulatedStart, run.Simulator.SimulatedEnd);
            Assert.True(a.Sku is not null || a.Region is not null || a.CustomerId is not null);
        }
    }

    [Fact]
    public void Anomalies_SpikesAndDropsShowInTheUnits()
    {
        // Compare each window with the same hours one week before or after (same weekday and hour).
        double Ratio(string kind)
        {
            double inside = 0, usual = 0;
            foreach (var a in run.Simulator.Anomalies.Where(a => a.Kind == kind))
            {
                var week = TimeSpan.FromDays(7);
                var shift = a.Start - week >= run.Options.SimulatedStart ? -week : week;
                inside += run.UnitsOf(a.Sku!, a.Start, a.End);
                usual += run.UnitsOf(a.Sku!, a.Start + shift, a.End + shift);
            }

            return inside / Math.Max(1, usual);
        }

        Assert.True(Ratio(SimulatedAnomalyKinds.DemandSpike) > 2.5, $"spike ratio {Ratio(SimulatedAnomalyKinds.DemandSpike):F2}");
        Assert.True(Ratio(SimulatedAnomalyKinds.DemandDrop) < 0.3, $"drop ratio {Ratio(SimulatedAnomalyKinds.DemandDrop):F2}");
    }

    [Fact]
    public void Anomalies_OutagesBurstsAndPriceErrorsShowInTheOrders()
    {
        double inside = 0, usual = 0;
        foreach (var a in run.Simulator.Anomalies.Where(a => a.Kind == SimulatedAnomalyKinds.RegionOutage))
        {
            var shift = a.Start.AddDays(-7) >= run.Options.SimulatedStart ? TimeSpan.FromDays(-7) : TimeSpan.FromDays(7);
            inside += run.Placed.Count(o => o.Region == a.Region && o.OccurredAt >= a.Start && o.OccurredAt < a.End);
            usual += run.Placed.Count(o => o.Region == a.Region && o.OccurredAt >= a.Start + shift && o.OccurredAt < a.End + shift);
        }

        Assert.True(inside < 0.2 * usual, $"outage: {inside} orders inside, {usual} usually");

        double burstOrders = 0, burstExpected = 0;
        foreach (var a in run.Simulator.Anomalies.Where(a => a.Kind == SimulatedAnomalyKinds.CustomerBurst))
        {
            burstOrders += run.Placed.Count(o => o.CustomerId == a.CustomerId && o.OccurredAt >= a.Start && o.OccurredAt < a.End);
            burstExpected += a.Magnitude * (a.End - a.Start).TotalHours;
        }

        Assert.InRange(burstOrders, 0.6 * burstExpected, 1.5 * burstExpected + 5);

        var checkedLines = 0;
        foreach (var a in run.Simulator.Anomalies.Where(a => a.Kind == SimulatedAnomalyKinds.PriceError))
        {
            var basePrice = run.Simulator.Catalog.Items.Single(i => i.Sku == a.Sku).BasePrice;
            foreach (var line in run.Placed.Where(o => o.OccurredAt >= a.Start && o.OccurredAt < a.End).SelectMany(o => o.Lines).Where(l => l.Sku == a.Sku))
            {
                var ratio = (double)line.UnitPrice / (double)basePrice;
                Assert.InRange(ratio, a.Magnitude * 0.2, a.Magnitude * 5);
                checkedLines++;
            }
        }

        Assert.True(checkedLines > 0);
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => new OrderSimulator(new SimulatorOptions { SkuCount = 0 }));
        Assert.Throws<ArgumentException>(() => new OrderSimulator(new SimulatorOptions { MalformedShare = 0.6, DuplicateShare = 0.5 }));
        Assert.Throws<ArgumentException>(() => new OrderSimulator(new SimulatorOptions { HourOfDayWeights = [1, 2] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrderSimulator(new SimulatorOptions()).Generate(TimeSpan.Zero));
    }
}
