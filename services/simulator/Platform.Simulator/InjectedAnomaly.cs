namespace Platform.Simulator;

/// <summary>
/// A labelled anomaly window in simulated time. <see cref="Magnitude"/> depends on <see cref="Kind"/>
/// (see <see cref="SimulatedAnomalyKinds"/>).
/// </summary>
public sealed record InjectedAnomaly(
    string Kind,
    DateTimeOffset Start,
    DateTimeOffset End,
    string? Sku,
    string? Region,
    string? CustomerId,
    double Magnitude);
