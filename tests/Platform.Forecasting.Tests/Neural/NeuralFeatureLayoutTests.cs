using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Tests.Neural;

public class NeuralFeatureLayoutTests
{
    private static readonly NeuralFeatureLayout Layout = new()
    {
        Lookback = 4,
        Horizon = 2,
        SeasonLength = 24,
        Step = TimeSpan.FromHours(1),
        LevelMean = 1.0,
        LevelStd = 2.0,
        CovariateNames = ["price", "promo"],
        CovariateMeans = [10f, 0.5f],
        CovariateStds = [2f, 0.5f],
    };

    [Fact]
    public void Layout_ScalesTheWindowByItsMeanAbsoluteValue()
    {
        var series = new TimeSeries("s", SyntheticDemand.Start, TimeSpan.FromHours(1), [9, 2, 4, 6, 8, 100]);
        var row = new float[Layout.FeatureCount];

        var scale = Layout.WriteFeatures(series, 5, [], false, row);

        Assert.Equal(5.0, scale);
        Assert.Equal([0.4f, 0.8f, 1.2f, 1.6f], row[..4]);
        Assert.Equal((float)((Math.Log(5.0) - 1.0) / 2.0), row[4]);
    }

    [Fact]
    public void Layout_AllZeroWindowUsesScaleOne()
    {
        var series = new TimeSeries("s", SyntheticDemand.Start, TimeSpan.FromHours(1), new double[6]);
        var row = new float[Layout.FeatureCount];

        Assert.Equal(1.0, Layout.WriteFeatures(series, 6, [], false, row));
        Assert.All(row, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Layout_CalendarFeaturesPlaceTheOriginOnTheClockAndWeek()
    {
        var row = new float[6];

        Layout.WriteCalendar(new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), row); // Monday 00:00
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 1f], row.Select(v => MathF.Round(v, 5)).ToArray());

        Layout.WriteCalendar(new DateTime(2026, 1, 8, 12, 0, 0, DateTimeKind.Utc), row); // Thursday noon: half-way through the day and the week
        Assert.Equal(0f, row[0], 1e-5f);
        Assert.Equal(-1f, row[1], 1e-5f);
        Assert.Equal(0f, row[2], 1e-5f);
        Assert.Equal(-1f, row[3], 1e-5f);
    }

    [Fact]
    public void Layout_CovariatesAreStandardisedClippedAndFlagged()
    {
        var series = new TimeSeries("s", SyntheticDemand.Start, TimeSpan.FromHours(1), [1, 1, 1, 1]);
        var row = new float[Layout.FeatureCount];
        var covariates = Layout.FeatureCount - 3;

        Layout.WriteFeatures(series, 4, [14f, float.NaN], true, row);
        Assert.Equal([2f, 0f, 1f], row[covariates..]);

        Layout.WriteFeatures(series, 4, [1e6f, 1f], true, row);
        Assert.Equal([NeuralFeatureLayout.CovariateClip, 1f, 1f], row[covariates..]);

        Layout.WriteFeatures(series, 4, [14f, 1f], false, row);
        Assert.Equal([0f, 0f, 0f], row[covariates..]);
        Assert.Equal(["cov_price", "cov_promo", "cov_present"], Layout.ColumnNames().Skip(covariates));
    }

    [Fact]
    public void Layout_LookbackCoversAWeekOfHoursAndShrinksForShortHistory()
    {
        var options = new NeuralForecasterOptions();
        var hourly = SyntheticDemand.Hourly(3, 1000, seed: 1);
        var daily = new[] { new TimeSeries("d", SyntheticDemand.Start, TimeSpan.FromDays(1), new double[300]) };
        var shortHourly = SyntheticDemand.Hourly(3, 200, seed: 1);

        Assert.Equal(168, options.ResolveLookback(hourly, new ForecastRequest(48, 24)));
        Assert.Equal(28, options.ResolveLookback(daily, new ForecastRequest(28, 7)));
        Assert.Equal(14, options.ResolveLookback(daily, new ForecastRequest(7, 7)));
        Assert.Equal(200 - 3 * 48 + 1, options.ResolveLookback(shortHourly, new ForecastRequest(48, 24)));
    }

    [Theory]
    [InlineData(1000, 168, 48)]
    [InlineData(300, 28, 14)]
    [InlineData(80, 48, 24)]
    [InlineData(60, 30, 24)]
    public void Windows_TrainingTargetsEndBeforeValidationTargets(int length, int lookback, int horizon)
    {
        var (train, validation) = TrainingWindows.Ranges(length, lookback, horizon);

        Assert.True(train.Count > 0);
        Assert.Equal(lookback, train.Start);
        if (validation.Count > 0)
        {
            var lastTrainTarget = train.Start + train.Count - 1 + horizon - 1;
            Assert.True(lastTrainTarget < validation.Start, $"train targets reach {lastTrainTarget}, validation starts at {validation.Start}");
            Assert.Equal(length - horizon, validation.Start + validation.Count - 1);
        }
        else
        {
            Assert.Equal(length - horizon, train.Start + train.Count - 1);
        }
    }
}
