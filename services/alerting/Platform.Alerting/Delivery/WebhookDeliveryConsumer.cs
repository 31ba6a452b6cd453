using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Alerting.Configuration;

namespace Platform.Alerting.Delivery;

/// <summary>POSTs Alertmanager-format webhook notifications.</summary>
public sealed class WebhookDeliveryConsumer(
    IHttpClientFactory http, IOptions<AlertingOptions> options, AlertingMetrics metrics, TimeProvider time, ILogger<WebhookDeliveryConsumer> logger)
    : IConsumer<WebhookDelivery>
{
    public Task Consume(ConsumeContext<WebhookDelivery> context)
    {
        var delivery = context.Message;
        var body = JsonSerializer.SerializeToUtf8Bytes(
            WebhookPayload.From(delivery.Notification, delivery.MaxAlerts, options.Value.ExternalUrl), DeliveryJsonContext.Default.WebhookPayload);
        return DeliveryAttempt.RunAsync(context, delivery.Notification, Channels.Webhook, metrics, time, logger,
            ct => DeliveryHttp.PostJsonAsync(http.CreateClient(DeliveryHttp.ClientName), delivery.Url, body, delivery.Notification.NotificationId, ct));
    }
}
