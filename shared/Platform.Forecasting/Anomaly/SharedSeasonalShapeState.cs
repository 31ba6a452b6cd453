namespace Platform.Forecasting.Anomaly;

/// <summary>Everything a <see cref="SharedSeasonalShape"/> remembers: the detector state of the total and its recent ratio.</summary>
public sealed record SharedSeasonalShapeState(SeriesDetectorState Total, double RecentRatio);
