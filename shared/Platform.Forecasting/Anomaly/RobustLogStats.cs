namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Exponentially weighted Huber location and scale of a log quantity (a SKU's log price or log quantity): each
/// value moves the estimate by at most <see cref="Clip"/> scales, so a burst of wrong prices barely shifts it.
/// Starts as a running mean, then forgets with weight 1/memory. The scale is 1.2533 × the mean absolute clipped
/// deviation, which equals the standard deviation for normal data.
/// </summary>
internal sealed class RobustLogStats
{
    public const double Clip = 2.5;

    public double Location { get; set; }

    public double Scale { get; set; }

    public long Count { get; set; }

    public double Z(double x, double floor) => (x - Location) / Math.Max(Scale, floor);

    public void Absorb(double x, double memory, double floor)
    {
        if (Count == 0)
        {
            Location = x;
            Scale = 0;
            Count = 1;
            return;
        }

        var s = Math.Max(Scale, floor);
        var d = Math.Clamp(x - Location, -Clip * s, Clip * s);
        var rate = Math.Max(1 / memory, 1.0 / (Count + 1));
        Location += rate * d;
        Scale += rate * (1.2533 * Math.Abs(d) - Scale);
        Count++;
    }

    /// <summary>Starts again from <paramref name="x"/>, keeping the count (the SKU stays judged).</summary>
    public void Reset(double x)
    {
        Location = x;
        Scale = 0;
    }
}
