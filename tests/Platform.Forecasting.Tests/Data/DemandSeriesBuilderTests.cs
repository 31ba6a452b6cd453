using Platform.Forecasting.Data;

namespace Platform.Forecasting.Tests.Data;

public sealed class DemandSeriesBuilderTests
{
    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2024, 1, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void DemandSeries_AddsUnitsPerHourAndFillsHoursWithoutSalesWithZero()
    {
        var builder = new DemandSeriesBuilder(TimeSpan.FromHours(1));
        builder.Add("a", At(1, 9, 5), 2);
        builder.Add("a", At(1, 9, 55), 3);
        builder.Add("a", At(1, 12, 0), 1);
        builder.Add("b", At(1, 10, 30), 4);

        var series = builder.Build(top: 10);

        var a = series.Single(s => s.Id == "a");
        Assert.Equal(new DateTime(2024, 1, 1, 9, 0, 0, DateTimeKind.Utc), a.Start);
        Assert.Equal(TimeSpan.FromHours(1), a.Step);
        Assert.Equal([5.0, 0, 0, 1], a.Values);
        Assert.Equal([0.0, 4, 0, 0], series.Single(s => s.Id == "b").Values);
    }

    [Fact]
    public void DemandSeries_RanksSkusByOrderLinesSoOneBulkOrderDoesNotMakeATopSku()
    {
        var builder = new DemandSeriesBuilder(TimeSpan.FromDays(1));
        builder.Add("bulk", At(1, 10), 74_215);
        for (var day = 1; day <= 5; day++)
        {
            builder.Add("steady", At(day, 10), 3);
            builder.Add("steady", At(day, 15), 2);
            builder.Add("often", At(day, 11), 1);
        }

        Assert.Equal(["steady", "often"], builder.Build(top: 2).Select(s => s.Id));
    }

    [Fact]
    public void DemandSeries_StartsAfterTheLastLongClosure()
    {
        var builder = new DemandSeriesBuilder(TimeSpan.FromDays(1));
        var trading = new List<DateTimeOffset>();
        for (var day = new DateTimeOffset(2010, 12, 1, 10, 0, 0, TimeSpan.Zero); day <= new DateTimeOffset(2011, 2, 28, 10, 0, 0, TimeSpan.Zero); day = day.AddDays(1))
        {
            // Closed on Saturdays, on one bank holiday and from 24 December to 3 January.
            var christmas = day >= new DateTimeOffset(2010, 12, 24, 0, 0, 0, TimeSpan.Zero) && day < new DateTimeOffset(2011, 1, 4, 0, 0, 0, TimeSpan.Zero);
            if (day.DayOfWeek != DayOfWeek.Saturday && !christmas && day.Date != new DateTime(2011, 2, 14))
            {
                builder.Add("a", day, 1);
            }
        }

        Assert.Equal(new DateTime(2011, 1, 4, 0, 0, 0, DateTimeKind.Utc), builder.StartAfterLastClosure(7));
        Assert.Null(builder.StartAfterLastClosure(12));

        var series = Assert.Single(builder.Build(top: 1, from: builder.StartAfterLastClosure(7)));
        Assert.Equal(new DateTime(2011, 1, 4, 0, 0, 0, DateTimeKind.Utc), series.Start);
        Assert.Equal(56, series.Length);
        // Saturdays and the bank holiday stay in the calendar as zeros, so the weekly season keeps its period.
        Assert.Equal(0, series.Values[(new DateTime(2011, 1, 8) - new DateTime(2011, 1, 4)).Days]);
        Assert.Equal(0, series.Values[(new DateTime(2011, 2, 14) - new DateTime(2011, 1, 4)).Days]);
    }

    [Fact]
    public void DemandSeries_HandlesPeriodsArrivingOutOfOrder()
    {
        var builder = new DemandSeriesBuilder(TimeSpan.FromDays(1));
        builder.Add("a", At(20, 10), 1);
        builder.Add("a", At(2, 10), 2);
        builder.Add("a", At(25, 10), 3);

        var series = Assert.Single(builder.Build(top: 1));

        Assert.Equal(24, series.Length);
        Assert.Equal(2, series.Values[0]);
        Assert.Equal(1, series.Values[18]);
        Assert.Equal(3, series.Values[23]);
        Assert.Equal(6, series.Values.Sum());
    }

    [Fact]
    public void DemandSeries_RejectsStepsThatDoNotDivideADayAndNegativeUnits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DemandSeriesBuilder(TimeSpan.FromHours(7)));
        var builder = new DemandSeriesBuilder(TimeSpan.FromHours(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add("a", At(1, 1), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add("a", At(1, 1), double.NaN));
    }
}
