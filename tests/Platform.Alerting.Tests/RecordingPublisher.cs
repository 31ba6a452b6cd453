using Platform.Alerting.Configuration;
using Platform.Alerting.Delivery;

namespace Platform.Alerting.Tests;

/// <summary>Records what the engine hands to delivery, instead of a bus.</summary>
public sealed class RecordingPublisher : INotificationPublisher
{
    private readonly List<Published> _sent = [];

    public sealed record Published(Integration Integration, AlertNotification Notification, string? Action);

    /// <summary>When set, the next publish fails with it (the bus unreachable).</summary>
    public Exception? FailNext { get; set; }

    public IReadOnlyList<Published> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public Task PublishAsync(Integration integration, AlertNotification notification, string? pagerDutyAction, CancellationToken ct)
    {
        if (FailNext is { } failure)
        {
            FailNext = null;
            throw failure;
        }

        lock (_sent)
        {
            _sent.Add(new Published(integration, notification, pagerDutyAction));
        }

        return Task.CompletedTask;
    }

    /// <summary>What was published since the last call.</summary>
    public List<Published> Take()
    {
        lock (_sent)
        {
            var taken = _sent.ToList();
            _sent.Clear();
            return taken;
        }
    }
}
