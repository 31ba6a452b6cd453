using Platform.Forecasting.Anomaly;

namespace Platform.Forecasting.Tests.Anomaly;

public class WindowEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluator_CountsWindowsFlagsAndExcuses()
    {
        var spike = new LabelledWindow("demand_spike", "A", T0.AddHours(10), T0.AddHours(12));
        var drop = new LabelledWindow("demand_drop", "B", T0.AddHours(20), T0.AddHours(22));
        var outage = new LabelledWindow("region_outage", null, T0.AddHours(30), T0.AddHours(31));
        var flags = new[]
        {
            Hourly("A", 11),   // inside the spike window: true
            Hourly("A", 13),   // within the 2 h tolerance after it: true, same window
            Hourly("A", 30),   // only in the outage, which excuses every target
            Hourly("C", 5),    // nowhere: false
        };

        var result = new WindowEvaluator(TimeSpan.FromHours(2)).Evaluate(flags, [spike, drop], _ => true, [outage], ["demand_spike", "demand_drop"]);

        Assert.Equal(3, result.Flags);
        Assert.Equal(2, result.TrueFlags);
        Assert.Equal(1, result.ExcusedFlags);
        Assert.Equal(2.0 / 3, result.Precision, 9);
        Assert.Equal(0.5, result.Recall, 9);
        Assert.Equal(2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), result.F1, 9);
        Assert.Equal((1, 1), (result.ByKind[0].Windows, result.ByKind[0].Detected));
        Assert.Equal((1, 0), (result.ByKind[1].Windows, result.ByKind[1].Detected));
        Assert.Same(drop, Assert.Single(result.MissedWindows));
        Assert.Equal("C", Assert.Single(result.FalseFlags).Target);
    }

    [Fact]
    public void Evaluator_FlagAfterTheToleranceIsFalse()
    {
        var spike = new LabelledWindow("demand_spike", "A", T0.AddHours(10), T0.AddHours(12));
        var result = new WindowEvaluator(TimeSpan.FromHours(1)).Evaluate([Hourly("A", 14)], [spike], _ => true, [], ["demand_spike"]);
        Assert.Equal(0, result.TrueFlags);
        Assert.Equal(0, result.Recall);
    }

    [Fact]
    public void Evaluator_IneligibleWindowsStillExcuseNothingButCountTrue()
    {
        var night = new LabelledWindow("demand_spike", "A", T0.AddHours(3), T0.AddHours(4));
        var result = new WindowEvaluator(TimeSpan.Zero).Evaluate([Hourly("A", 3)], [night], _ => false, [], ["demand_spike"]);
        // A flag in a real anomaly is not a false alarm, even if that anomaly is not asked for.
        Assert.Equal(1, result.TrueFlags);
        Assert.Equal((0, 1), (result.ByKind[0].Windows, result.ByKind[0].Ineligible));
        Assert.Equal(0, result.Recall);
    }

    [Fact]
    public void Evaluator_NoFlagsAndNoWindowsGiveZerosNotNaN()
    {
        var result = new WindowEvaluator(TimeSpan.Zero).Evaluate([], [], _ => true, [], ["demand_spike"]);
        Assert.Equal((0.0, 0.0, 0.0), (result.Precision, result.Recall, result.F1));
    }

    [Fact]
    public void Evaluator_OrderFlagsAreInstants()
    {
        var error = new LabelledWindow("price_error", "SKU-1", T0.AddHours(1), T0.AddHours(2));
        var at = T0.AddHours(1).AddMinutes(5);
        var result = new WindowEvaluator(TimeSpan.Zero).Evaluate([new DetectionFlag("SKU-1", at, at, "unit_price")], [error], _ => true, [], ["price_error"]);
        Assert.Equal(1, result.Recall);
        Assert.Equal(1, result.Precision);
    }

    private static DetectionFlag Hourly(string target, int hour) => new(target, T0.AddHours(hour), T0.AddHours(hour + 1), "spike");
}
