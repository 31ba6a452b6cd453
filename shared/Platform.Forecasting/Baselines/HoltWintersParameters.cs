namespace Platform.Forecasting.Baselines;

/// <summary>
/// Smoothing parameters of damped Holt-Winters in its component form (Hyndman and Athanasopoulos, Forecasting:
/// Principles and Practice, 2nd ed., 7.3–7.4): level α, trend β (as a share of the level's change), season γ ≤ 1 − α,
/// damping φ in [0.8, 0.98].
/// </summary>
public readonly record struct HoltWintersParameters(double Alpha, double Beta, double Gamma, double Phi)
{
    public const double MinPhi = 0.8;
    public const double MaxPhi = 0.98;
    private const double Edge = 1e-4;

    /// <summary>Where the search starts: a slowly moving level, trend and season, strong damping.</summary>
    public static readonly HoltWintersParameters Start = new(0.2, 0.05, 0.1, 0.95);

    /// <summary>Maps any real vector (the optimizer's space) into the admissible region, smoothly and one to one.</summary>
    internal static HoltWintersParameters FromUnconstrained(ReadOnlySpan<double> u, bool seasonal)
    {
        var alpha = Edge + (1 - 2 * Edge) * Logistic(u[0]);
        var beta = Edge + (1 - 2 * Edge) * Logistic(u[1]);
        var phi = MinPhi + (MaxPhi - MinPhi) * Logistic(u[2]);
        var gamma = seasonal ? (1 - alpha) * Logistic(u[3]) : 0;
        return new HoltWintersParameters(alpha, beta, gamma, phi);
    }

    /// <summary>The inverse of <see cref="FromUnconstrained"/>.</summary>
    internal double[] ToUnconstrained(bool seasonal)
    {
        var u = new double[seasonal ? 4 : 3];
        u[0] = Logit((Alpha - Edge) / (1 - 2 * Edge));
        u[1] = Logit((Beta - Edge) / (1 - 2 * Edge));
        u[2] = Logit((Phi - MinPhi) / (MaxPhi - MinPhi));
        if (seasonal)
        {
            u[3] = Logit(Gamma / (1 - Alpha));
        }

        return u;
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    private static double Logit(double p) => Math.Log(p / (1 - p));
}
