using System.Text.Json;
using Platform.Contracts;

namespace Platform.Simulator.Tests;

public sealed class AnomalySpanTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Anomalies_StayInsideTheConfiguredSpan()
    {
        var notBefore = Start.AddHours(12);
        var notAfter = Start.AddDays(3);
        var simulator = new OrderSimulator(new SimulatorOptions
        {
            Seed = 7, MeanOrdersPerSecond = 10, AnomaliesPerSimulatedDay = 20, AnomaliesNotBefore = notBefore, AnomaliesNotAfter = notAfter,
        });
        _ = simulator.Generate(TimeSpan.FromHours(4 * 24) / 3600);

        // 2.5 days at 20 a day: about 50; a Poisson draw below 25 would mean the span or the rate is ignored.
        Assert.InRange(simulator.Anomalies.Count, 25, 80);
        Assert.All(simulator.Anomalies, a =>
        {
            Assert.InRange(a.Start, notBefore, notAfter);
            Assert.True(a.End <= notAfter, $"{a.Kind} ends {a.End:O}, after {notAfter:O}");
        });
        Assert.Contains(simulator.Anomalies, a => a.Start > Start.AddDays(2));
    }

    [Fact]
    public void Anomalies_InAShortSpan_SpreadOverItsBusyHours()
    {
        // A span from 20:00 to 14:00 the next day: the old day-and-hour draw would pile every start onto 20:00.
        var notBefore = Start.AddHours(20);
        var notAfter = Start.AddHours(38);
        var simulator = new OrderSimulator(new SimulatorOptions
        {
            Seed = 4, MeanOrdersPerSecond = 10, AnomaliesPerSimulatedDay = 60, AnomaliesNotBefore = notBefore, AnomaliesNotAfter = notAfter,
        });
        _ = simulator.Generate(TimeSpan.FromHours(48) / 3600);

        var starts = simulator.Anomalies.Select(a => a.Start).ToList();
        Assert.True(starts.Count(s => s == notBefore) <= 1, "starts pile up at the span's start");
        // Most traffic is between 08:00 and 18:00: most anomalies start then.
        Assert.True(starts.Count(s => s.Hour is >= 8 and < 18) > starts.Count / 2, string.Join(", ", starts.Select(s => s.ToString("HH:mm"))));
    }

    [Fact]
    public void Anomalies_WithoutASpan_CoverTheWholeRun()
    {
        var simulator = new OrderSimulator(new SimulatorOptions { Seed = 7, MeanOrdersPerSecond = 10, AnomaliesPerSimulatedDay = 20 });
        _ = simulator.Generate(TimeSpan.FromHours(4 * 24) / 3600);

        Assert.Contains(simulator.Anomalies, a => a.Start < Start.AddHours(12));
        Assert.Contains(simulator.Anomalies, a => a.Start > Start.AddDays(3));
    }

    [Fact]
    public void CatalogSeed_KeepsTheCatalog_WhileTheEventsChange()
    {
        var first = new OrderSimulator(new SimulatorOptions { Seed = 1, MeanOrdersPerSecond = 50 });
        var continued = new OrderSimulator(new SimulatorOptions { Seed = 2, CatalogSeed = 1, MeanOrdersPerSecond = 50 });
        var other = new OrderSimulator(new SimulatorOptions { Seed = 2, MeanOrdersPerSecond = 50 });

        Assert.Equal(first.Catalog.ByRank.Select(i => i.Sku), continued.Catalog.ByRank.Select(i => i.Sku));
        Assert.NotEqual(first.Catalog.ByRank.Select(i => i.Sku), other.Catalog.ByRank.Select(i => i.Sku));
        Assert.NotEqual(
            first.Generate(TimeSpan.FromSeconds(5)).Select(e => e.Payload).First(),
            continued.Generate(TimeSpan.FromSeconds(5)).Select(e => e.Payload).First());
    }

    [Fact]
    public void ValidEvents_CarryTheOrderTheirPayloadHolds()
    {
        var events = new OrderSimulator(new SimulatorOptions { Seed = 3, MeanOrdersPerSecond = 50 }).Generate(TimeSpan.FromSeconds(10)).ToList();

        var valid = events.Where(e => e.Kind == SimulatedEventKind.Valid).ToList();
        Assert.NotEmpty(valid);
        Assert.All(valid, e =>
        {
            Assert.NotNull(e.Order);
            Assert.Equal(e.Payload, JsonSerializer.SerializeToUtf8Bytes(e.Order, ContractsJsonContext.Default.OrderEvent));
        });
        Assert.All(events.Where(e => e.Kind == SimulatedEventKind.Malformed), e => Assert.Null(e.Order));
    }
}
