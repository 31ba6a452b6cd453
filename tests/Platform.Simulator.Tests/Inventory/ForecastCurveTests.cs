using Platform.Contracts;
using Platform.Simulator.Inventory;

namespace Platform.Simulator.Tests.Inventory;

public sealed class ForecastCurveTests
{
    private static ForecastCurve Curve(params double[] p90)
    {
        var origin = DemandScenario.Start;
        var forecast = new DemandForecast
        {
            Sku = "A",
            FeatureAsOf = origin,
            Steps = p90.Select((v, h) => new ForecastStep { Step = h + 1, PeriodStart = origin.AddHours(h), P50 = v / 2, P90 = v }).ToList(),
        };
        return ForecastCurve.TryRead(forecast, out _)!;
    }

    [Fact]
    public void Curve_FractionalLeadTime_CountsThatFractionOfTheHour()
    {
        var curve = Curve(1, 2, 4, 8);
        Assert.Equal(1 + 2 + 0.5 * 4, curve.P90Over(0, 2.5), 12);
        Assert.Equal(0.5 * 2 + 4, curve.P90Over(1.5, 1.5), 12);
    }

    [Fact]
    public void Curve_LeadTimeBeyondTheHorizon_ScalesLikeTheStockoutJudge()
    {
        var curve = Curve(1, 2, 4, 8);
        // The judge: horizon sum × lead / horizon.
        Assert.Equal(15.0 * 6 / 4, curve.P90Over(0, 6), 12);
        Assert.Equal(15.0 / 4 * 2, curve.P90Over(10, 2), 12);
    }

    [Fact]
    public void Curve_BeforeTheOrigin_CountsFromTheOrigin()
    {
        var curve = Curve(1, 2, 4, 8);
        Assert.Equal(0, curve.HoursFromOrigin(DemandScenario.Start.AddHours(-3)));
        Assert.Equal(2.5, curve.HoursFromOrigin(DemandScenario.Start.AddHours(2.5)), 12);
    }

    [Fact]
    public void Curve_Planning_ContinuesTheDailyShapePastTheHorizon()
    {
        // Two days: the plan repeats the last whole day hour by hour; the judge's sum runs at the mean rate.
        var day = Enumerable.Range(0, 24).Select(h => h < 12 ? 1.0 : 5.0).ToArray();
        var curve = Curve([.. day, .. day.Select(v => v * 2)]);
        Assert.Equal(2.0 + 10.0 * 3, curve.PlanP90Over(48 + 11, 4), 12);
        Assert.Equal(4 * (day.Sum() * 3 / 48), curve.P90Over(48 + 11, 4), 12);
        // Within the horizon both agree.
        Assert.Equal(curve.P90Over(3, 30), curve.PlanP90Over(3, 30), 12);
    }
}
