using Platform.Contracts;
using Platform.Forecasting.Anomaly;

namespace Platform.Forecasting.Tests.Anomaly;

public class DemandSeriesBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Builder_SumsUnitsOrCountsLinesPerHour()
    {
        var units = new DemandSeriesBuilder(T0, TimeSpan.FromHours(1), DemandMeasure.Units);
        var lines = new DemandSeriesBuilder(T0, TimeSpan.FromHours(1), DemandMeasure.Lines);
        foreach (var order in new[]
        {
            Order(T0.AddMinutes(10), ("A", 12, null)),
            Order(T0.AddMinutes(50), ("A", 3, null), ("B", 1, null)),
            Order(T0.AddHours(2).AddMinutes(1), ("A", 1, null)),
            Order(T0.AddMinutes(20), ("A", 100, null)) with { EventType = OrderEventTypes.Cancelled },
            Order(T0.AddMinutes(-5), ("A", 7, null)),
        })
        {
            units.Add(order);
            lines.Add(order);
        }

        var a = units.Build(3)[0];
        Assert.Equal("A", a.Series.Id);
        Assert.Equal(new double[] { 15, 0, 1 }, a.Series.Values);
        Assert.Equal(new double[] { 2, 0, 1 }, lines.Build(3)[0].Series.Values);
        Assert.Equal(new double[] { 1, 0, 0 }, units.Build(3)[1].Series.Values);
    }

    [Fact]
    public void Builder_PromotionLastsThroughHoursWithoutLines()
    {
        var builder = new DemandSeriesBuilder(T0, TimeSpan.FromHours(1), DemandMeasure.Lines);
        builder.Add(Order(T0.AddMinutes(5), ("A", 1, null)));
        builder.Add(Order(T0.AddHours(1).AddMinutes(5), ("A", 1, "PROMO-1")));
        builder.Add(Order(T0.AddHours(4).AddMinutes(5), ("A", 1, null)));
        var promoted = builder.Build(6)[0].Promoted;
        Assert.Equal(new[] { false, true, true, true, false, false }, promoted);
    }

    private static OrderEvent Order(DateTimeOffset at, params (string Sku, int Quantity, string? Promotion)[] lines) => new()
    {
        OrderId = Guid.NewGuid().ToString("N"),
        OccurredAt = at,
        Currency = "EUR",
        Lines = lines.Select(l => new OrderLine { Sku = l.Sku, Quantity = l.Quantity, UnitPrice = 1m, PromotionId = l.Promotion }).ToArray(),
    };
}
