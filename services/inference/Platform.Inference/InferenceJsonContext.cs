using System.Text.Json.Serialization;

namespace Platform.Inference;

/// <summary>Source-generated JSON metadata of the service's HTTP responses.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelStatus))]
internal sealed partial class InferenceJsonContext : JsonSerializerContext;
