namespace Platform.Forecasting.Anomaly;

/// <summary>
/// A known anomaly: <paramref name="Kind"/> affected <paramref name="Target"/> (a series id, SKU or customer id) from
/// <paramref name="Start"/> to <paramref name="End"/>. A null target affects every target (a region outage moves
/// every SKU's demand).
/// </summary>
public sealed record LabelledWindow(string Kind, string? Target, DateTimeOffset Start, DateTimeOffset End);
