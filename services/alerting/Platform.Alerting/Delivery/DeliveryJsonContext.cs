using System.Text.Json.Serialization;

namespace Platform.Alerting.Delivery;

/// <summary>What the channels POST. Field names are fixed by attributes: they are the receivers' contracts.</summary>
[JsonSerializable(typeof(PagerDutyEvent))]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(SlackMessage))]
internal sealed partial class DeliveryJsonContext : JsonSerializerContext;
