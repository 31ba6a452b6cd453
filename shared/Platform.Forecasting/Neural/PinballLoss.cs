namespace Platform.Forecasting.Neural;

/// <summary>
/// The quantile (pinball) loss ρτ(y, q) = max(τ(y − q), (τ − 1)(y − q)), averaged over rows, steps and the three
/// quantiles. Its gradient in q is −τ when y &gt; q and 1 − τ otherwise: bounded, so a single huge target (a bulk
/// order) cannot blow up a training step.
/// </summary>
internal static class PinballLoss
{
    public const double Low = 0.1;
    public const double Mid = 0.5;
    public const double High = 0.9;

    public static double Value(double tau, double actual, double forecast)
    {
        var diff = actual - forecast;
        return diff >= 0 ? tau * diff : (tau - 1) * diff;
    }

    /// <summary>
    /// Mean loss of a batch (targets [batch × horizon], scaled like the outputs). When <paramref name="gradients"/> is
    /// given, writes dLoss/dP into it, already divided by the <paramref name="normalizer"/> rows the mean is over.
    /// </summary>
    public static double Evaluate(MlpActivations act, ReadOnlySpan<float> targets, int batch, int horizon, MlpGradients? gradients, int normalizer)
    {
        ArgumentNullException.ThrowIfNull(act);
        var count = batch * horizon;
        var scale = 1f / (3f * normalizer * horizon);
        double total = 0;
        for (var i = 0; i < count; i++)
        {
            var y = targets[i];
            total += Value(Low, y, act.P10[i]) + Value(Mid, y, act.P50[i]) + Value(High, y, act.P90[i]);
            if (gradients is not null)
            {
                gradients.DP10[i] = Gradient(Low, y, act.P10[i]) * scale;
                gradients.DP50[i] = Gradient(Mid, y, act.P50[i]) * scale;
                gradients.DP90[i] = Gradient(High, y, act.P90[i]) * scale;
            }
        }

        return total / (3.0 * normalizer * horizon);
    }

    private static float Gradient(double tau, float actual, float forecast) => (float)(actual > forecast ? -tau : 1.0 - tau);
}
