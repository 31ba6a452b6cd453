namespace Platform.Alerting.Configuration;

/// <summary>A named set of integrations a route sends to. A receiver without integrations records alerts and notifies nobody.</summary>
public sealed record Receiver(string Name, IReadOnlyList<Integration> Integrations);
