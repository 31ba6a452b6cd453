using Platform.Forecasting.Evaluation;

namespace Platform.Forecasting.Tests.Evaluation;

public sealed class ForecastMetricsTests
{
    [Fact]
    public void Mase_ScalesByTheTrainingPartsSeasonalDifferences()
    {
        // |3−1|, |4−2|, |5−3|, |6−4| → scale 2. Errors |7−6|, |8−6| → MAE 1.5. MASE 0.75.
        double[] train = [1, 2, 3, 4, 5, 6];

        var scale = ForecastMetrics.MaseScale(train, seasonLength: 2, out var fellBack);

        Assert.Equal(2, scale);
        Assert.False(fellBack);
        Assert.Equal(0.75, ForecastMetrics.MeanAbsoluteError([7, 8], [6, 6]) / scale!.Value);
    }

    [Fact]
    public void Mase_FallsBackToTheLagOneScaleWhenTheSeasonalOneIsZeroOrTooShort()
    {
        // Exactly periodic with period 2: seasonal differences are all 0; lag-1 differences are all 1.
        Assert.Equal(1, ForecastMetrics.MaseScale([1, 2, 1, 2, 1, 2], 2, out var periodic));
        Assert.True(periodic);

        // Not longer than one season: |4−1| and |2−4| → 2.5.
        Assert.Equal(2.5, ForecastMetrics.MaseScale([1, 4, 2], 24, out var shortTrain));
        Assert.True(shortTrain);
    }

    [Fact]
    public void Mase_IsUndefinedForAConstantOrSinglePointTrainingPart()
    {
        Assert.Null(ForecastMetrics.MaseScale([3, 3, 3, 3], 2, out _));
        Assert.Null(ForecastMetrics.MaseScale([3], 1, out _));
    }

    [Fact]
    public void Smape_CountsBothZeroAsAPerfectForecast()
    {
        // (0 + 200·5/15 + 200·10/10) / 3
        Assert.Equal((0 + 200.0 * 5 / 15 + 200) / 3, ForecastMetrics.Smape([0, 10, 10], [0, 5, 0]), 12);
        Assert.Equal(0, ForecastMetrics.Smape([0, 0], [0, 0]));
    }

    [Theory]
    [InlineData(10, 8, 0.9, 1.8)]
    [InlineData(10, 12, 0.9, 0.2)]
    [InlineData(10, 8, 0.1, 0.2)]
    [InlineData(10, 12, 0.1, 1.8)]
    [InlineData(10, 10, 0.5, 0)]
    public void Pinball_WeighsUnderAndOverForecastsByTheQuantile(double actual, double quantile, double tau, double expected)
    {
        Assert.Equal(expected, ForecastMetrics.Pinball(actual, quantile, tau), 12);
    }

    [Fact]
    public void Metrics_RejectMismatchedLengths()
    {
        Assert.Throws<ArgumentException>(() => ForecastMetrics.Smape([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => ForecastMetrics.MeanAbsoluteError([], []));
    }
}
