using System.Text.Json.Serialization;

namespace Platform.Alerting.Api;

[JsonSerializable(typeof(AlertResponse))]
[JsonSerializable(typeof(AlertListResponse))]
[JsonSerializable(typeof(AlertActionResponse))]
[JsonSerializable(typeof(AcknowledgeRequest))]
[JsonSerializable(typeof(ResolveRequest))]
[JsonSerializable(typeof(CreateSilenceRequest))]
[JsonSerializable(typeof(SilenceResponse))]
[JsonSerializable(typeof(SilenceListResponse))]
[JsonSerializable(typeof(AlertingApiError))]
internal sealed partial class AlertingApiJsonContext : JsonSerializerContext;
