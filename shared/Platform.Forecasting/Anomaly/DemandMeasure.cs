namespace Platform.Forecasting.Anomaly;

/// <summary>What a demand series counts per period.</summary>
public enum DemandMeasure
{
    /// <summary>Units ordered (the forecast target). Heavy-tailed: one bulk line can hold hundreds of units.</summary>
    Units = 0,

    /// <summary>Order lines (orders that contain the SKU): close to Poisson, so the robust choice for detection.</summary>
    Lines = 1,
}
