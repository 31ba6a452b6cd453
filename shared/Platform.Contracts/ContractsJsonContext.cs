using System.Text.Json.Serialization;

namespace Platform.Contracts;

/// <summary>
/// Source-generated System.Text.Json metadata for every message. snake_case on the wire, nulls omitted,
/// so that teams in any language can code against docs/contracts.md.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(OrderEvent))]
[JsonSerializable(typeof(IReadOnlyList<OrderEvent>))]
[JsonSerializable(typeof(OrderLineValidated))]
[JsonSerializable(typeof(OrderRejected))]
[JsonSerializable(typeof(FeaturesUpdated))]
[JsonSerializable(typeof(DemandForecast))]
[JsonSerializable(typeof(AnomalyAlert))]
[JsonSerializable(typeof(InventoryLevel))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
