namespace Platform.Forecasting;

/// <summary>
/// A forecast of the next <see cref="Horizon"/> periods of one series: the 10th, 50th and 90th percentiles per step,
/// so that [P10, P90] is the 80 % interval. Producers guarantee P10 ≤ P50 ≤ P90 and no NaN.
/// </summary>
public sealed record QuantileForecast(double[] P10, double[] P50, double[] P90)
{
    public int Horizon => P50.Length;
}
