namespace Platform.Forecasting.Anomaly;

/// <summary>Which side of the expected value a point lies on.</summary>
public enum AnomalyDirection
{
    None = 0,
    Spike = 1,
    Drop = 2,
}
