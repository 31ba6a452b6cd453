using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Alerting.Configuration;

namespace Platform.Alerting.Delivery;

/// <summary>
/// Sends one Events API v2 event per alert of the notification. A retry sends them all again: PagerDuty folds repeats
/// of the same dedup_key and action into the incident it already has, so at-least-once is safe.
/// </summary>
public sealed class PagerDutyDeliveryConsumer(
    IHttpClientFactory http, IOptions<AlertingOptions> options, AlertingMetrics metrics, TimeProvider time, ILogger<PagerDutyDeliveryConsumer> logger)
    : IConsumer<PagerDutyDelivery>
{
    public Task Consume(ConsumeContext<PagerDutyDelivery> context)
    {
        var delivery = context.Message;
        var o = options.Value;
        var events = delivery.Notification.Alerts
            .Select(alert => JsonSerializer.SerializeToUtf8Bytes(PagerDutyEvents.For(delivery, alert, o.Source, o.ExternalUrl), DeliveryJsonContext.Default.PagerDutyEvent))
            .ToList();
        return DeliveryAttempt.RunAsync(context, delivery.Notification, Channels.PagerDuty, metrics, time, logger, async ct =>
        {
            var client = http.CreateClient(DeliveryHttp.ClientName);
            for (var i = 0; i < events.Count; i++)
            {
                await DeliveryHttp.PostJsonAsync(client, delivery.Url, events[i], $"{delivery.Notification.NotificationId}-{i}", ct);
            }
        });
    }
}
