using Platform.Contracts;

namespace Platform.Alerting.Tests;

/// <summary>Detections as the inference service publishes them.</summary>
public static class Detections
{
    private static int _next;

    public static AnomalyAlert Of(string kind, string sku, string region = "eu", string severity = "warning", string? id = null) => new()
    {
        AlertId = id ?? $"det-{Interlocked.Increment(ref _next)}",
        Kind = kind,
        Sku = sku,
        Region = region,
        Severity = severity,
        Score = 0.93,
        Observed = 42,
        ExpectedP10 = 5,
        ExpectedP50 = 10,
        ExpectedP90 = 15,
        WindowStart = new DateTimeOffset(2025, 3, 10, 11, 0, 0, TimeSpan.Zero),
        WindowEnd = new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero),
        DetectedAt = new DateTimeOffset(2025, 3, 10, 12, 0, 5, TimeSpan.Zero),
        ModelVersion = "mlp-3",
        TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        Summary = $"{kind} on {sku} in {region}",
        Contributors = [new AnomalyContributor { Name = "qty_24h", Value = 42, Baseline = 10 }],
    };
}
