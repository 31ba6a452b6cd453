using System.Text.Json;
using MassTransit;
using Platform.Alerting.Configuration;

namespace Platform.Alerting.Delivery;

/// <summary>POSTs Slack incoming-webhook messages.</summary>
public sealed class SlackDeliveryConsumer(IHttpClientFactory http, AlertingMetrics metrics, TimeProvider time, ILogger<SlackDeliveryConsumer> logger)
    : IConsumer<SlackDelivery>
{
    public Task Consume(ConsumeContext<SlackDelivery> context)
    {
        var delivery = context.Message;
        var body = JsonSerializer.SerializeToUtf8Bytes(SlackMessage.From(delivery.Notification, delivery.Channel), DeliveryJsonContext.Default.SlackMessage);
        return DeliveryAttempt.RunAsync(context, delivery.Notification, Channels.Slack, metrics, time, logger,
            ct => DeliveryHttp.PostJsonAsync(http.CreateClient(DeliveryHttp.ClientName), delivery.Url, body, delivery.Notification.NotificationId, ct));
    }
}
