using System.ComponentModel.DataAnnotations;

namespace Platform.Alerting;

/// <summary>Retries of one delivery (section "Alerting:Delivery"): exponential backoff, then the error queue.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Retries after the first attempt; then the message goes to the endpoint's _error queue.</summary>
    [Range(0, 100)]
    public int RetryLimit { get; set; } = 6;

    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Growth of the interval per retry (MassTransit's exponential policy).</summary>
    public TimeSpan RetryIntervalDelta { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest one HTTP POST may take before it counts as a failed attempt.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries consumed at once per channel.</summary>
    [Range(1, 256)]
    public int ConcurrentDeliveries { get; set; } = 8;
}
