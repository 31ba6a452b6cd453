using Microsoft.Extensions.Options;

namespace Platform.Alerting.Engine;

/// <summary>
/// Runs the engine's evaluation every Alerting:EvaluationInterval. A failed round (the store unreachable) is logged and
/// counted and the next round tries again: what was not stored stays pending in the engine.
/// </summary>
public sealed class AlertEngineHost(AlertEngine engine, IOptions<AlertingOptions> options, AlertingMetrics metrics, TimeProvider time, ILogger<AlertEngineHost> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EvaluationInterval, time);
        try
        {
            do
            {
                try
                {
                    await engine.EvaluateAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    metrics.EvaluationFailed();
                    logger.LogError(ex, "Alert evaluation failed; retrying in {Interval}", options.Value.EvaluationInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
