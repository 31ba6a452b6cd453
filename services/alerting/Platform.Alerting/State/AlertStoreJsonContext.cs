using System.Text.Json.Serialization;
using Platform.Alerting.Model;

namespace Platform.Alerting.State;

/// <summary>How state is stored (JSON, snake_case): readable with redis-cli, and the same in both stores.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertRecord))]
[JsonSerializable(typeof(Silence))]
[JsonSerializable(typeof(NotificationLogEntry))]
internal sealed partial class AlertStoreJsonContext : JsonSerializerContext;
