using Platform.Contracts;
using Platform.Simulator.Import;

namespace Platform.Simulator.Tests;

public sealed class HistoryReplayTests
{
    private static readonly DateTimeOffset T0 = new(2011, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static OrderEvent At(string id, DateTimeOffset t) => new() { OrderId = id, OccurredAt = t, Currency = "GBP" };

    private static readonly OrderEvent[] History =
    [
        At("1", T0), At("2", T0.AddHours(1)), At("3", T0.AddMinutes(30)), At("4", T0.AddDays(2)),
    ];

    [Fact]
    public void Replay_KeepsTimestampsAndCompressesTime()
    {
        var span = HistoryReplay.MeasureSpan(History)!;
        Assert.Equal(new HistorySpan(T0, T0.AddDays(2)), span);
        var scheduled = HistoryReplay.Schedule(History, 3600, span, rebaseEndAt: null).ToList();
        Assert.Equal(History, scheduled.Select(s => s.Order));
        // One hour of history per second; the out-of-order third order goes right after the second.
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(48)], scheduled.Select(s => s.RealOffset));
    }

    [Fact]
    public void Replay_RebasesSoTheHistoryEndsAtNow()
    {
        var now = new DateTimeOffset(2026, 11, 27, 13, 0, 0, TimeSpan.Zero);
        var span = HistoryReplay.MeasureSpan(History)!;
        var scheduled = HistoryReplay.Schedule(History, 60, span, now).ToList();
        Assert.Equal(now, scheduled[^1].Order.OccurredAt);
        Assert.Equal(now - TimeSpan.FromDays(2), scheduled[0].Order.OccurredAt);
        Assert.Equal(TimeSpan.FromMinutes(48), scheduled[^1].RealOffset);
        Assert.Equal("1", scheduled[0].Order.OrderId);
    }

    [Fact]
    public void Replay_AlignedToWeeksKeepsWeekdayAndHour()
    {
        var now = new DateTimeOffset(2026, 11, 27, 13, 0, 0, TimeSpan.Zero);
        var span = HistoryReplay.MeasureSpan(History)!;
        var scheduled = HistoryReplay.Schedule(History, 60, span, now, alignToWeek: true).ToList();
        Assert.All(scheduled.Zip(History), p =>
        {
            Assert.Equal(p.Second.OccurredAt.DayOfWeek, p.First.Order.OccurredAt.DayOfWeek);
            Assert.Equal(p.Second.OccurredAt.TimeOfDay, p.First.Order.OccurredAt.TimeOfDay);
        });
        Assert.InRange(now - scheduled[^1].Order.OccurredAt, TimeSpan.Zero, TimeSpan.FromDays(7));
    }

    [Fact]
    public void Replay_ReadsAndSchedulesTheOnlineRetailSample()
    {
        var files = new[] { Path.Combine(AppContext.BaseDirectory, "TestData", "online-retail-2010-12-01-sample.csv") };
        var span = OnlineRetailCsvReader.ScanSpan(files)!;
        var now = DateTimeOffset.UtcNow;
        var scheduled = HistoryReplay.Schedule(new OnlineRetailCsvReader().ReadFiles(files), 3600, span, now).ToList();
        Assert.Equal(now, scheduled.Max(s => s.Order.OccurredAt));
        Assert.All(scheduled, s => Assert.True(s.Order.OccurredAt > now.AddDays(-30)));
        Assert.True(scheduled[^1].RealOffset < TimeSpan.FromSeconds(7));
    }
}
