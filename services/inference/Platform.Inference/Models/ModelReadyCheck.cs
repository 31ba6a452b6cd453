using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Inference.Scoring;

namespace Platform.Inference.Models;

/// <summary>Ready only with a model loaded (the consumer's own check adds: partitions assigned).</summary>
internal sealed class ModelReadyCheck(MicroBatcher batcher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(batcher.Model is { } model
            ? HealthCheckResult.Healthy($"serving model {model.Label} on {model.ExecutionProvider}")
            : HealthCheckResult.Unhealthy("no model loaded"));
}
