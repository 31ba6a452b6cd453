namespace Platform.Forecasting.Anomaly;

/// <summary>A labelled window and why it does not count towards recall (null: it counts).</summary>
public sealed record WindowEligibility(LabelledWindow Window, string? IneligibleBecause);
