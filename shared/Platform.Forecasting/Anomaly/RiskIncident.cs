namespace Platform.Forecasting.Anomaly;

/// <summary>An order opened a new incident of <paramref name="Reason"/> (see <see cref="RiskReasons"/>) on <paramref name="Target"/> (a SKU or a customer id).</summary>
public sealed record RiskIncident(string Reason, string Target, double Score);
