using MassTransit;
using Platform.Alerting.Configuration;

namespace Platform.Alerting.Delivery;

/// <summary>
/// Sends each notification to its channel's queue. Sent rather than published: the queue receives it even before its
/// consumer has bound, and RabbitMQ's publisher confirm is awaited, so a returned call means the broker has it.
/// </summary>
public sealed class BusNotificationPublisher(IAlertingBus bus) : INotificationPublisher
{
    private static readonly Uri WebhookQueue = new($"queue:{DeliveryQueues.Webhook}");
    private static readonly Uri SlackQueue = new($"queue:{DeliveryQueues.Slack}");
    private static readonly Uri PagerDutyQueue = new($"queue:{DeliveryQueues.PagerDuty}");

    public async Task PublishAsync(Integration integration, AlertNotification notification, string? pagerDutyAction, CancellationToken ct)
    {
        switch (integration.Channel)
        {
            case Channels.Webhook:
                await (await bus.GetSendEndpoint(WebhookQueue)).Send(
                    new WebhookDelivery { Notification = notification, Url = integration.Url, MaxAlerts = integration.MaxAlerts }, ct);
                break;
            case Channels.Slack:
                await (await bus.GetSendEndpoint(SlackQueue)).Send(
                    new SlackDelivery { Notification = notification, Url = integration.Url, Channel = integration.SlackChannel }, ct);
                break;
            case Channels.PagerDuty:
                await (await bus.GetSendEndpoint(PagerDutyQueue)).Send(
                    new PagerDutyDelivery
                    {
                        Notification = notification,
                        Url = integration.Url,
                        RoutingKey = integration.RoutingKey ?? "",
                        Severity = integration.Severity,
                        EventAction = pagerDutyAction,
                    }, ct);
                break;
            default:
                throw new InvalidOperationException($"unknown channel {integration.Channel}");
        }
    }
}
