using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.FeatureStore;

// The wire contract of the features API. Every property carries its snake_case name explicitly, so the names are the
// same whichever JsonSerializerOptions serialize or describe them (the context's own, or the app's JsonOptions that
// the OpenAPI generator reads). Numbers are strict, never strings, whatever those options say (the web defaults read
// numbers from strings); FeaturesApi's schema transformer makes the OpenAPI document say so too.

/// <summary>Body of POST /features/batch: exactly one of <see cref="EntityKeys"/> and <see cref="Skus"/>.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed class FeaturesBatchRequest
{
    [JsonPropertyName("entity_keys")]
    [Description("Entity keys: \"sku:{sku}\", \"sku_region:{sku}:{region}\" or \"category:{category}\".")]
    public IReadOnlyList<string?>? EntityKeys { get; init; }

    [JsonPropertyName("skus")]
    [Description("SKUs; each is looked up as the entity \"sku:{sku}\".")]
    public IReadOnlyList<string?>? Skus { get; init; }
}

/// <summary>One entity's latest features, or only its key and found = false when the store has none.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed class EntityFeaturesResult
{
    [JsonPropertyName("entity_key")]
    public required string EntityKey { get; init; }

    [JsonPropertyName("found")]
    public required bool Found { get; init; }

    [JsonPropertyName("event_time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Event time of the newest record folded into the values; absent when not found.")]
    public DateTimeOffset? EventTime { get; init; }

    [JsonPropertyName("schema_hash")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Hash of the feature schema that produced the values; absent when not found.")]
    public string? SchemaHash { get; init; }

    [JsonPropertyName("written_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("When the pipeline wrote the values; absent when not found.")]
    public DateTimeOffset? WrittenAt { get; init; }

    [JsonPropertyName("staleness_ms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Milliseconds from written_at to the time of the request (never negative); absent when not found.")]
    public long? StalenessMs { get; init; }

    [JsonPropertyName("features")]
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Feature name → value. Non-finite values (NaN, e.g. an average price without sales) are null. Absent when not found.")]
    public IReadOnlyDictionary<string, double?>? Features { get; init; }
}

/// <summary>Response of GET /features/{sku}.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed class SkuFeaturesResponse
{
    [JsonPropertyName("entity_key")]
    public required string EntityKey { get; init; }

    [JsonPropertyName("event_time")]
    [Description("Event time of the newest record folded into the values.")]
    public required DateTimeOffset EventTime { get; init; }

    [JsonPropertyName("schema_hash")]
    [Description("Hash of the feature schema that produced the values; compare with GET /features/schema.")]
    public required string SchemaHash { get; init; }

    [JsonPropertyName("written_at")]
    [Description("When the pipeline wrote the values.")]
    public required DateTimeOffset WrittenAt { get; init; }

    [JsonPropertyName("staleness_ms")]
    [Description("Milliseconds from written_at to the time of the request (never negative).")]
    public required long StalenessMs { get; init; }

    [JsonPropertyName("features")]
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    [Description("Feature name → value. Non-finite values (NaN, e.g. an average price without sales) are null.")]
    public required IReadOnlyDictionary<string, double?> Features { get; init; }

    [JsonPropertyName("region")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("The sku_region entity, only when the request had ?region=; found = false when the store has none.")]
    public EntityFeaturesResult? Region { get; init; }
}

/// <summary>Response of POST /features/batch.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed class FeaturesBatchResponse
{
    [JsonPropertyName("results")]
    [Description("One result per requested key, in request order.")]
    public required IReadOnlyList<EntityFeaturesResult> Results { get; init; }
}

/// <summary>One feature of the schema.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed class FeatureSchemaEntry
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("description")]
    public required string Description { get; init; }
}

/// <summary>Response of GET /features/schema.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed class FeatureSchemaResponse
{
    [JsonPropertyName("schema_hash")]
    [Description("The hash stored with every entity's values (schema_hash of the feature responses).")]
    public required string SchemaHash { get; init; }

    [JsonPropertyName("version")]
    [Description("Version of the feature definitions in code; part of the hash.")]
    public required int Version { get; init; }

    [JsonPropertyName("feature_count")]
    public required int FeatureCount { get; init; }

    [JsonPropertyName("features")]
    [Description("The features in vector order.")]
    public required IReadOnlyList<FeatureSchemaEntry> Features { get; init; }

    [JsonPropertyName("canonical_text")]
    [Description("The exact text whose SHA-256 gives the hash: version, windows, parameters and names.")]
    public required string CanonicalText { get; init; }
}

/// <summary>Error body of every 4xx answer (served as application/problem+json).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed class FeaturesApiError
{
    [JsonPropertyName("error")]
    [Description("Machine-readable code: entity_not_found, invalid_sku, invalid_region, invalid_json, empty_request, "
        + "ambiguous_request, too_many_entities, invalid_entity_key, unknown_entity_type.")]
    public required string Error { get; init; }

    [JsonPropertyName("status")]
    public required int Status { get; init; }

    [JsonPropertyName("detail")]
    [Description("Human-readable reason.")]
    public required string Detail { get; init; }

    [JsonPropertyName("entity_key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("The entity key concerned, where there is one.")]
    public string? EntityKey { get; init; }

    [JsonPropertyName("index")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Position of the offending item in the request's list, for batch requests.")]
    public int? Index { get; init; }
}

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(FeaturesBatchRequest))]
[JsonSerializable(typeof(FeaturesBatchResponse))]
[JsonSerializable(typeof(SkuFeaturesResponse))]
[JsonSerializable(typeof(EntityFeaturesResult))]
[JsonSerializable(typeof(FeatureSchemaResponse))]
[JsonSerializable(typeof(FeaturesApiError))]
public sealed partial class FeaturesApiJsonContext : JsonSerializerContext;
