using System.Text.Json.Serialization;

namespace Platform.Forecasting.Registry;

/// <summary>Source-generated JSON for metadata.json: camelCase, indented, nulls left out, NaN allowed (a loss may be undefined).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelMetadata))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
