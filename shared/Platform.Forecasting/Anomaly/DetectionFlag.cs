namespace Platform.Forecasting.Anomaly;

/// <summary>
/// One raised flag: the detector judged <paramref name="Target"/> anomalous over [<paramref name="Start"/>,
/// <paramref name="End"/>) — one step of a series, or an instant (Start = End) for an order.
/// <paramref name="Reason"/> is what the flag says it found (spike, drop, unit_price …).
/// </summary>
public sealed record DetectionFlag(string Target, DateTimeOffset Start, DateTimeOffset End, string Reason);
