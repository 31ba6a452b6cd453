using System.Text.Json.Serialization;

namespace Platform.Ingestion;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OrdersEndpoint.OrdersResponse))]
internal sealed partial class IngestionJsonContext : JsonSerializerContext;
