using Platform.Forecasting.Anomaly;

namespace Platform.Forecasting.Tests.Anomaly;

public class AnomalyScoreTests
{
    [Theory]
    [InlineData(1.959964, -1.30103)]
    [InlineData(3.290527, -3)]
    [InlineData(4.417173, -5)]
    [InlineData(5.730729, -8)]
    public void Score_NormalTailMatchesTables(double z, double log10P)
    {
        Assert.Equal(log10P, AnomalyScore.Log10TwoSidedNormalTail(z), 4);
        Assert.Equal(-log10P / 10, AnomalyScore.FromTwoSidedZ(z), 4);
        Assert.Equal(z, AnomalyScore.ZFromLog10TwoSided(log10P), 3);
    }

    [Fact]
    public void Score_IsMonotoneAndBounded()
    {
        var previous = -1.0;
        for (var z = 0.0; z < 60; z += 0.25)
        {
            var score = AnomalyScore.FromTwoSidedZ(z);
            Assert.InRange(score, 0, 1);
            Assert.True(score >= previous);
            previous = score;
        }

        Assert.Equal(1, AnomalyScore.FromTwoSidedZ(40));
        Assert.Equal(0, AnomalyScore.FromLog10P(double.NaN));
    }

    [Theory]
    [InlineData(5, 1.0)]
    [InlineData(12, 3.5)]
    [InlineData(40, 10.0)]
    public void Score_PoissonTailsAgreeWithDirectSums(int n, double mean)
    {
        double direct = 0, term = Math.Exp(-mean);
        for (var k = 0; k < 400; k++)
        {
            if (k >= n) direct += term;
            term *= mean / (k + 1);
        }

        Assert.Equal(Math.Log10(direct), AnomalyScore.Log10PoissonUpperTail(n, mean), 6);
        // The count tail with dispersion 1 and no offset is the Poisson upper tail (two-sided: doubled).
        Assert.Equal(Math.Log10(2 * direct), AnomalyScore.Log10CountTwoSidedTail(n, mean, mean, 0), 6);
    }

    [Theory]
    [InlineData(0.5, 0.5723649429247001)]
    [InlineData(1, 0)]
    [InlineData(7.5, 7.534364236758733)]
    [InlineData(30, 71.25703896716801)]
    public void Score_LnGammaMatchesKnownValues(double z, double expected) => Assert.Equal(expected, AnomalyScore.LnGamma(z), 9);
}
