namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Turns the evidence against "this point is normal" into a score in [0, 1]: score = −log10(p) / 10, clipped, where
/// p is the tail probability of the observation under the baseline's noise model. So 0.5 means a one-in-100,000
/// event and 1 means one in 10^10 or rarer. The scale is the one Numenta's HTM anomaly likelihood reports
/// (log-likelihood over ln 10^10), so scores from the series detector and the order-risk scorer compare directly.
/// </summary>
public static class AnomalyScore
{
    /// <summary>log10 of the tail probability that maps to score 1.</summary>
    public const double Decades = 10;

    /// <summary>Score of a two-sided standard normal deviation <paramref name="z"/>.</summary>
    public static double FromTwoSidedZ(double z) => FromLog10P(Log10TwoSidedNormalTail(Math.Abs(z)));

    /// <summary>Score of a one-sided (upper) standard normal deviation; zero for z ≤ 0.</summary>
    public static double FromUpperZ(double z) => z <= 0 ? 0 : FromLog10P(Log10TwoSidedNormalTail(z) - Math.Log10(2));

    public static double FromLog10P(double log10P)
    {
        if (double.IsNaN(log10P)) return 0;
        return Math.Clamp(-log10P / Decades, 0, 1);
    }

    /// <summary>The |z| at which <see cref="FromTwoSidedZ"/> reaches <paramref name="score"/> (bisection; called once per detector).</summary>
    public static double TwoSidedZFor(double score)
    {
        if (score is <= 0 or >= 1 || double.IsNaN(score)) throw new ArgumentOutOfRangeException(nameof(score), score, "The score must be in (0, 1).");
        double lo = 0, hi = 40;
        for (var i = 0; i < 100; i++)
        {
            var mid = (lo + hi) / 2;
            if (FromTwoSidedZ(mid) < score) lo = mid;
            else hi = mid;
        }

        return hi;
    }

    /// <summary>
    /// log10 P(|Z| ≥ z) = log10 erfc(z / √2), accurate far into the tail (no underflow up to z ≈ 10^150). Uses the
    /// Chebyshev-fitted erfc of Press et al., Numerical Recipes §6.2, whose relative error is below 1.2e-7
    /// everywhere, so tiny probabilities keep their digits (the common 7.1.26 form only has absolute accuracy).
    /// </summary>
    internal static double Log10TwoSidedNormalTail(double z)
    {
        if (z <= 0) return 0;
        var x = z / Math.Sqrt(2);
        var t = 1 / (1 + 0.5 * x);
        var poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        var lnErfc = Math.Log(t) - x * x + poly;
        return Math.Min(0, lnErfc / Math.Log(10));
    }

    /// <summary>
    /// The standard normal |z| whose two-sided tail is 10^<paramref name="log10P"/>: the common currency in which
    /// count tails and Gaussian tails are combined. Newton's method on the log tail from the asymptotic guess.
    /// </summary>
    public static double ZFromLog10TwoSided(double log10P)
    {
        if (double.IsNaN(log10P) || log10P >= 0) return 0;
        var lnTarget = log10P * Math.Log(10);
        // Start from the asymptotic inverse of the Gaussian tail, clamped to a sane range.
        var u = Math.Max(1e-9, -2 * lnTarget - Math.Log(2 * Math.PI));
        var z = Math.Clamp(Math.Sqrt(Math.Max(0, u - Math.Log(Math.Max(u, 1e-9)))), 0.01, 60);
        for (var i = 0; i < 30; i++)
        {
            var lnTail = Log10TwoSidedNormalTail(z) * Math.Log(10);
            // d/dz ln(2(1 − Φ(z))) = −φ(z) / (1 − Φ(z)).
            var lnPdf = -0.5 * z * z - 0.5 * Math.Log(2 * Math.PI);
            var slope = -2 * Math.Exp(lnPdf - lnTail);
            var next = Math.Clamp(z - (lnTail - lnTarget) / slope, z / 2, z * 2 + 1);
            if (Math.Abs(next - z) < 1e-10) return next;
            z = next;
        }

        return z;
    }

    /// <summary>
    /// log10 of the two-sided tail probability of <paramref name="value"/> under an overdispersed count model
    /// (quasi-Poisson): (Y + offset) / φ ~ Poisson((expected + offset) / φ), with φ = variance / (expected + offset).
    /// Unlike the normal approximation its upper tail is heavy at low volume, so one order on a quiet series is
    /// not a one-in-10^8 event. Non-integer arguments use the incomplete gamma function (the continuous extension).
    /// </summary>
    public static double Log10CountTwoSidedTail(double value, double expected, double variance, double offset)
    {
        var mean = Math.Max(expected, 0) + offset;
        if (mean <= 0 || variance <= 0) return 0;
        var dispersion = variance / mean;
        var lambda = mean / dispersion;
        var x = (Math.Max(value, 0) + offset) / dispersion;
        // Upper tail P(X ≥ x) = P(x, λ) (regularized lower gamma); lower tail P(X ≤ x) = Q(x + 1, λ).
        var lnTail = x > lambda ? LnRegularizedGammaP(x, lambda) : LnRegularizedGammaQ(x + 1, lambda);
        return Math.Min(0, (lnTail + Math.Log(2)) / Math.Log(10));
    }

    /// <summary>ln P(a, x), the regularized lower incomplete gamma function, without underflow.</summary>
    internal static double LnRegularizedGammaP(double a, double x)
    {
        if (x <= 0) return double.NegativeInfinity;
        if (x >= a + 1) return Math.Log(Math.Max(1e-300, 1 - Math.Exp(LnRegularizedGammaQ(a, x))));
        // Series: P = e^(−x) x^a / Γ(a + 1) · Σ x^n / ((a + 1)…(a + n)).
        double sum = 1, term = 1;
        for (var n = 1; n < 100_000; n++)
        {
            term *= x / (a + n);
            sum += term;
            if (term < sum * 1e-16) break;
        }

        return -x + a * Math.Log(x) - LnGamma(a + 1) + Math.Log(sum);
    }

    /// <summary>ln Q(a, x) = ln(1 − P(a, x)), the regularized upper incomplete gamma function, without underflow.</summary>
    internal static double LnRegularizedGammaQ(double a, double x)
    {
        if (x <= 0) return 0;
        if (x < a + 1) return Math.Log(Math.Max(1e-300, 1 - Math.Exp(LnRegularizedGammaP(a, x))));
        // Continued fraction (modified Lentz): Q = e^(−x) x^a / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − …)).
        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 100_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15) break;
        }

        return -x + a * Math.Log(x) - LnGamma(a) + Math.Log(h);
    }

    /// <summary>ln Γ(z) for z &gt; 0: recurrence up to z ≥ 10, then Stirling's series (error below 1e-12).</summary>
    internal static double LnGamma(double z)
    {
        double shift = 0;
        while (z < 10)
        {
            shift -= Math.Log(z);
            z += 1;
        }

        var z2 = z * z;
        return shift + (z - 0.5) * Math.Log(z) - z + 0.5 * Math.Log(2 * Math.PI)
            + 1 / (12 * z) - 1 / (360 * z * z2) + 1 / (1260 * z2 * z2 * z);
    }

    /// <summary>log10 P(X ≥ n) for X ~ Poisson(<paramref name="mean"/>), summed from n upward in log space (no cancellation).</summary>
    internal static double Log10PoissonUpperTail(int n, double mean)
    {
        if (n <= 0) return 0;
        if (mean <= 0) return double.NegativeInfinity;
        // Below the mean the tail holds most of the mass; 1 − lower sum is then accurate enough.
        if (n <= mean)
        {
            double lower = 0, term = Math.Exp(-mean);
            for (var k = 0; k < n; k++)
            {
                lower += term;
                term *= mean / (k + 1);
            }

            return Math.Log10(Math.Max(1e-300, 1 - lower));
        }

        var lnTerm = n * Math.Log(mean) - mean - LnFactorial(n);
        double sum = 0, ratio = 1;
        for (var k = n; k < n + 10_000; k++)
        {
            sum += ratio;
            ratio *= mean / (k + 1);
            if (ratio < 1e-17 * sum) break;
        }

        return (lnTerm + Math.Log(sum)) / Math.Log(10);
    }

    /// <summary>ln n! by summation below 32 and Stirling's series above (error below 1e-10 there).</summary>
    internal static double LnFactorial(int n)
    {
        if (n < 32)
        {
            double s = 0;
            for (var k = 2; k <= n; k++) s += Math.Log(k);
            return s;
        }

        double x = n;
        return x * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }
}
