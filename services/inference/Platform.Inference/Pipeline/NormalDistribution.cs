namespace Platform.Inference.Pipeline;

/// <summary>The standard normal distribution function, for the probability of running out of stock.</summary>
internal static class NormalDistribution
{
    /// <summary>P(Z ≤ x) = erfc(−x/√2)/2.</summary>
    public static double Cdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>
    /// Complementary error function, Chebyshev fit of Press et al., Numerical Recipes §6.2 (relative error below 1.2e-7
    /// everywhere), the same approximation the forecasting engine's scores use.
    /// </summary>
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        var value = t * Math.Exp(poly);
        return x >= 0 ? value : 2 - value;
    }
}
