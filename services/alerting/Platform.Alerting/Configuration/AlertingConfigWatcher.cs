using Microsoft.Extensions.Options;

namespace Platform.Alerting.Configuration;

/// <summary>
/// Re-reads the configuration file every Alerting:ConfigReloadInterval. Polling by content hash rather than a file
/// watcher: Kubernetes updates a mounted ConfigMap by swapping a symlink, which file watchers often miss.
/// </summary>
public sealed class AlertingConfigWatcher(AlertingConfigSource source, IOptions<AlertingOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (source.FilePath is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ConfigReloadInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Refusals are logged and counted by the source; the old configuration stays in force.
                source.TryReload();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
