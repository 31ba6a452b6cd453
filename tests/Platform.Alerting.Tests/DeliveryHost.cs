using MassTransit;
using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Alerting.Delivery;

namespace Platform.Alerting.Tests;

/// <summary>
/// The alerting service's delivery side as AddAlerting registers it (no Kafka consumer), on the in-memory transport or a
/// real RabbitMQ, with fast retries, a reader on each channel's _error queue, and a local HTTP receiver.
/// </summary>
public abstract class DeliveryHost : IAsyncLifetime
{
    public const int RetryLimit = 3;

    private IHost? _host;

    /// <summary>Messages that reached an _error queue, with the queue they came from.</summary>
    public ConcurrentQueue<(string Queue, AlertNotification Notification)> ErrorQueue { get; } = new();

    public LocalHttpReceiver Receiver { get; private set; } = null!;

    public IServiceProvider Services => _host!.Services;

    public AlertingMetrics Metrics => Services.GetRequiredService<AlertingMetrics>();

    public INotificationPublisher Publisher => Services.GetRequiredService<INotificationPublisher>();

    /// <summary>Null for the in-memory transport.</summary>
    protected abstract Task<string?> RabbitMqUriAsync();

    protected virtual Task DisposeTransportAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Receiver = await LocalHttpReceiver.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alerting:ApiKey"] = "delivery-tests-key-0123456789",
            ["Alerting:ConsumeAnomalies"] = "false",
            ["Alerting:RabbitMq"] = await RabbitMqUriAsync() ?? "",
            ["Alerting:ExternalUrl"] = "https://alerting.example",
            ["Alerting:Delivery:RetryLimit"] = RetryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerting:Delivery:RetryMinInterval"] = "00:00:00.020",
            ["Alerting:Delivery:RetryMaxInterval"] = "00:00:00.100",
            ["Alerting:Delivery:RetryIntervalDelta"] = "00:00:00.020",
            ["Alerting:Delivery:HttpTimeout"] = "00:00:05",
        });
        builder.Services.AddHealthChecks();
        builder.AddAlerting((_, bus) =>
        {
            foreach (var queue in new[] { DeliveryQueues.Webhook, DeliveryQueues.Slack, DeliveryQueues.PagerDuty })
            {
                bus.ReceiveEndpoint(DeliveryQueues.ErrorQueue(queue), e =>
                {
                    // Read the error queue only: it must not subscribe to the message types' published traffic.
                    e.ConfigureConsumeTopology = false;
                    e.Handler<WebhookDelivery>(c => Record(queue, c.Message.Notification));
                    e.Handler<SlackDelivery>(c => Record(queue, c.Message.Notification));
                    e.Handler<PagerDutyDelivery>(c => Record(queue, c.Message.Notification));
                });
            }
        });
        _host = builder.Build();
        await _host.StartAsync();
        // Receive endpoints start in the background once the bus is up; wait until they are ready.
        var health = Services.GetRequiredService<HealthCheckService>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HealthReport report;
        while ((report = await health.CheckHealthAsync(r => r.Tags.Contains("masstransit"))).Status != HealthStatus.Healthy || report.Entries.Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the alerting bus did not become healthy: {string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Description}"))}");
            }

            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        await Receiver.DisposeAsync();
        await DisposeTransportAsync();
    }

    /// <summary>Waits until the error queue holds the notification; fails after 30 s.</summary>
    public async Task<string> WaitForErrorQueueAsync(string notificationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            foreach (var (queue, notification) in ErrorQueue)
            {
                if (notification.NotificationId == notificationId)
                {
                    return queue;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"notification {notificationId} did not reach an error queue");
            }

            await Task.Delay(20);
        }
    }

    private Task Record(string queue, AlertNotification notification)
    {
        ErrorQueue.Enqueue((DeliveryQueues.ErrorQueue(queue), notification));
        return Task.CompletedTask;
    }
}

public sealed class InMemoryDeliveryHost : DeliveryHost
{
    protected override Task<string?> RabbitMqUriAsync() => Task.FromResult<string?>(null);
}

public sealed class RabbitMqDeliveryHost : DeliveryHost
{
    private readonly RabbitMqFixture _rabbit = new();

    protected override async Task<string?> RabbitMqUriAsync()
    {
        await _rabbit.InitializeAsync();
        return _rabbit.Uri;
    }

    protected override Task DisposeTransportAsync() => _rabbit.DisposeAsync();
}
