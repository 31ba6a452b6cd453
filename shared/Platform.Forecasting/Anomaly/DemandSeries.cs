namespace Platform.Forecasting.Anomaly;

/// <summary>One SKU's demand series and, per period, whether a promotion was running (a known event).</summary>
public sealed record DemandSeries(TimeSeries Series, bool[] Promoted);
