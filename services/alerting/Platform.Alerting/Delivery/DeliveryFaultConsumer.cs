using MassTransit;
using Platform.Alerting.Configuration;

namespace Platform.Alerting.Delivery;

/// <summary>
/// MassTransit publishes a Fault when a delivery gives up (retries exhausted, or a permanent refusal) and moves the
/// message to the endpoint's _error queue. This counts and logs each one, so a lost page is never silent; the message
/// itself waits in the error queue to be inspected or moved back.
/// </summary>
public sealed class DeliveryFaultConsumer(AlertingMetrics metrics, ILogger<DeliveryFaultConsumer> logger)
    : IConsumer<Fault<WebhookDelivery>>, IConsumer<Fault<SlackDelivery>>, IConsumer<Fault<PagerDutyDelivery>>
{
    public Task Consume(ConsumeContext<Fault<WebhookDelivery>> context) => Record(context.Message, context.Message.Message.Notification, Channels.Webhook);

    public Task Consume(ConsumeContext<Fault<SlackDelivery>> context) => Record(context.Message, context.Message.Message.Notification, Channels.Slack);

    public Task Consume(ConsumeContext<Fault<PagerDutyDelivery>> context) => Record(context.Message, context.Message.Message.Notification, Channels.PagerDuty);

    private Task Record(Fault fault, AlertNotification notification, string channel)
    {
        metrics.NotificationFailed(notification.Receiver, channel, "dead_lettered");
        logger.LogError("Notification {Id} ({Group}, {Count} alerts) to {Receiver}/{Channel} moved to the error queue after its retries: {Reason}",
            notification.NotificationId, notification.GroupKey, notification.Alerts.Count, notification.Receiver, channel,
            string.Join(" | ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}")));
        return Task.CompletedTask;
    }
}
