using Platform.Forecasting.Anomaly;

namespace Platform.Inference.Pipeline;

/// <summary>
/// What the service remembers per SKU between windows: the last forecast (to judge the hours it covered once they are
/// complete), how far the SKU was judged, the evidence of the last two hours and the open incident. About 350 bytes for
/// a 24-hour horizon; it lives in memory only (docs/inference.md says what a restart loses).
/// </summary>
internal sealed class SkuDemandState
{
    public DateTimeOffset Origin { get; set; }

    public float[] P10 { get; set; } = [];

    public float[] P50 { get; set; } = [];

    public float[] P90 { get; set; } = [];

    public string ModelVersion { get; set; } = "";

    /// <summary>End of the last window judged: hours before it are done.</summary>
    public DateTimeOffset JudgedUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Signed z of the last judged hours, newest first, and the hour of the newest (evidence accumulates over consecutive hours).</summary>
    public double Z1 { get; set; }

    public double Z2 { get; set; }

    public int ZCount { get; set; }

    public DateTimeOffset ZHour { get; set; } = DateTimeOffset.MinValue;

    public AnomalyDirection Incident { get; set; }

    public int NormalRun { get; set; }

    public bool HasForecast => P50.Length > 0;

    public SkuDemandState Clone() => (SkuDemandState)MemberwiseClone();

    /// <summary>Keeps <paramref name="forecast"/> as the one the next windows are judged against (floats: half the memory, ample precision).</summary>
    public void Remember(SkuForecast forecast)
    {
        Origin = forecast.Origin;
        ModelVersion = forecast.ModelVersion;
        P10 = ToFloats(forecast.P10);
        P50 = ToFloats(forecast.P50);
        P90 = ToFloats(forecast.P90);
    }

    private static float[] ToFloats(double[] values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (float)values[i];
        }

        return result;
    }
}
