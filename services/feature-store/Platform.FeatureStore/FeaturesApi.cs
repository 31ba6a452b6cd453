using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Platform.Features;
using Platform.OnlineStore;

namespace Platform.FeatureStore;

/// <summary>Settings of the features HTTP API; bind from configuration section <see cref="SectionName"/>.</summary>
public sealed class FeaturesApiOptions
{
    public const string SectionName = "FeatureStore:Api";

    /// <summary>Most entity keys (or SKUs) one POST /features/batch may ask for; more is a 400 too_many_entities.</summary>
    public int MaxEntitiesPerRequest { get; set; } = 1000;
}

/// <summary>
/// The online feature store's read API: one SKU (optionally with its region), a batch of entity keys, and the schema.
/// Each request makes exactly one store call, whatever the number of entities.
/// </summary>
public static class FeaturesApi
{
    /// <summary>Longest SKU, region or category accepted in a key (the ingestion id limit).</summary>
    public const int MaxIdLength = 64;

    private const string ProblemJson = "application/problem+json";

    private const string NonFiniteNote =
        " Feature values that are not finite (NaN, e.g. avg_price_24h of a SKU without sales in the window, or ±Infinity) "
        + "are returned as null, because JSON has no NaN; a model should treat null as a missing value.";

    /// <summary>
    /// Registers what the endpoints need besides the store and the schema: OpenAPI document generation, the API's
    /// options (defaults; validated at start) and its JSON metadata in the app's HTTP JSON options.
    /// </summary>
    public static IServiceCollection AddFeaturesApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOpenApi(o => o.AddSchemaTransformer(StrictNumbers));
        services.AddOptions<FeaturesApiOptions>()
            .Validate(o => o.MaxEntitiesPerRequest >= 1, $"{FeaturesApiOptions.SectionName}:{nameof(FeaturesApiOptions.MaxEntitiesPerRequest)} must be at least 1.")
            .ValidateOnStart();
        // The OpenAPI generator describes types through the app's JsonOptions; give it the source-generated metadata.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, FeaturesApiJsonContext.Default));
        return services;
    }

    /// <summary>
    /// The API's types read and write numbers strictly, but the generator describes numbers by the app's JsonOptions,
    /// whose web defaults make every number "number or string"; and it does not carry the types' own strict handling
    /// down to dictionary values. So for the API's own types, numbers are numbers again.
    /// </summary>
    private static Task StrictNumbers(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Type.Assembly == typeof(FeaturesApi).Assembly && context.JsonTypeInfo.Type.Namespace == typeof(FeaturesApi).Namespace)
        {
            foreach (var property in schema.Properties?.Values ?? [])
            {
                StripString(property as OpenApiSchema);
                StripString(property.AdditionalProperties as OpenApiSchema);
                StripString(property.Items as OpenApiSchema);
            }
        }

        return Task.CompletedTask;

        static void StripString(OpenApiSchema? numeric)
        {
            if (numeric?.Type is { } type && (type & (JsonSchemaType.Number | JsonSchemaType.Integer)) != 0 && (type & JsonSchemaType.String) != 0)
            {
                numeric.Type = type & ~JsonSchemaType.String;
                numeric.Pattern = null;
            }
        }
    }

    /// <summary>
    /// Maps GET /features/schema, GET /features/{sku} and POST /features/batch. Needs <see cref="IOnlineFeatureStore"/>,
    /// <see cref="FeatureSchema"/> and <see cref="FeaturesApiOptions"/> in DI (see <see cref="AddFeaturesApi"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapFeaturesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/features").WithTags("Features");

        // A literal segment outranks {sku}, so a SKU named "schema" can only be read through the batch endpoint.
        group.MapGet("/schema", GetSchema)
            .WithName("GetFeatureSchema")
            .WithSummary("The feature schema served")
            .WithDescription(
                "Hash, version and the features (in vector order, with what each measures) of the schema this service "
                + "serves. A model compares the hash with the one it was trained on, and with each response's schema_hash.")
            .Produces<FeatureSchemaResponse>(StatusCodes.Status200OK);

        group.MapGet("/{sku}", GetSku)
            .WithName("GetSkuFeatures")
            .WithSummary("Latest features of one SKU, optionally with its region")
            .WithDescription(
                "Returns the entity sku:{sku}. With ?region=R the entity sku_region:{sku}:R comes back in the same "
                + "response (one store round trip) as the nested object region, with found = false when the store has "
                + "none. 404 (error entity_not_found) when the SKU entity itself has no features; 400 (invalid_sku, "
                + "invalid_region) when the SKU or region is empty, longer than 64 characters or has control characters."
                + NonFiniteNote)
            .Produces<SkuFeaturesResponse>(StatusCodes.Status200OK)
            .Produces<FeaturesApiError>(StatusCodes.Status400BadRequest, ProblemJson)
            .Produces<FeaturesApiError>(StatusCodes.Status404NotFound, ProblemJson);

        group.MapPost("/batch", PostBatch)
            .WithName("GetFeaturesBatch")
            .WithSummary("Latest features of many entities in one call")
            .WithDescription(
                "Body {\"entity_keys\": [\"sku:1\", \"sku_region:1:eu\", \"category:toys\"]} or {\"skus\": [\"1\", \"2\"]} "
                + "(exactly one of the two). Returns {\"results\": [...]} with one result per key in request order, "
                + "found = false where the store has none; all keys are read in one store round trip. "
                + "400 with a machine-readable error for: malformed JSON (invalid_json), no keys (empty_request), both "
                + "lists (ambiguous_request), more keys than the configured MaxEntitiesPerRequest, 1000 by default "
                + "(too_many_entities; 400 rather than 413, as it is the count of keys and not the body size that is "
                + "limited), a key with an unknown prefix (unknown_entity_type) or an invalid part (invalid_entity_key)."
                + NonFiniteNote)
            .Accepts<FeaturesBatchRequest>("application/json")
            .Produces<FeaturesBatchResponse>(StatusCodes.Status200OK)
            .Produces<FeaturesApiError>(StatusCodes.Status400BadRequest, ProblemJson);

        return app;
    }

    private static JsonHttpResult<FeatureSchemaResponse> GetSchema([FromServices] FeatureSchema schema) =>
        TypedResults.Json(
            new FeatureSchemaResponse
            {
                SchemaHash = schema.Hash,
                Version = FeatureSchema.Version,
                FeatureCount = schema.Count,
                Features = schema.Definitions.Select(d => new FeatureSchemaEntry { Name = d.Name, Description = d.Description }).ToArray(),
                CanonicalText = schema.CanonicalText,
            },
            FeaturesApiJsonContext.Default.FeatureSchemaResponse);

    private static async Task<IResult> GetSku(
        string sku,
        [FromQuery] string? region,
        [FromServices] IOnlineFeatureStore store,
        HttpContext http,
        CancellationToken ct)
    {
        if (InvalidId(sku) is { } skuProblem)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_sku", $"sku {skuProblem}.");
        }

        // An empty "?region=" may bind as null; a region asked for with nothing in it is a client error, not the SKU alone.
        if (region is null && http.Request.Query.ContainsKey("region"))
        {
            region = string.Empty;
        }

        if (region is not null && InvalidId(region) is { } regionProblem)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_region", $"region {regionProblem}.");
        }

        var skuKey = EntityKeys.Sku(sku);
        string[] keys = region is null ? [skuKey] : [skuKey, EntityKeys.SkuRegion(sku, region)];
        var found = await store.GetManyAsync(keys, ct);
        var now = Now(http);
        if (found[0] is not { } features)
        {
            return Error(StatusCodes.Status404NotFound, "entity_not_found", $"No features are stored for entity {skuKey}.", skuKey);
        }

        var response = new SkuFeaturesResponse
        {
            EntityKey = skuKey,
            EventTime = features.EventTime,
            SchemaHash = features.SchemaHash,
            WrittenAt = features.WrittenAt,
            StalenessMs = StalenessMs(features, now),
            Features = SafeValues(features.Values),
            Region = region is null ? null : ToResult(keys[1], found[1], now),
        };
        return TypedResults.Json(response, FeaturesApiJsonContext.Default.SkuFeaturesResponse);
    }

    private static async Task<IResult> PostBatch(
        HttpRequest request,
        [FromServices] IOnlineFeatureStore store,
        [FromServices] IOptions<FeaturesApiOptions> options,
        CancellationToken ct)
    {
        FeaturesBatchRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, FeaturesApiJsonContext.Default.FeaturesBatchRequest, ct);
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_json", $"The body is not a valid batch request: {ex.Message}");
        }

        var entityKeys = body?.EntityKeys;
        var skus = body?.Skus;
        if (entityKeys is not null && skus is not null)
        {
            return Error(StatusCodes.Status400BadRequest, "ambiguous_request", "Give either entity_keys or skus, not both.");
        }

        var items = entityKeys ?? skus;
        if (items is null || items.Count == 0)
        {
            return Error(StatusCodes.Status400BadRequest, "empty_request", "The body must have a non-empty entity_keys or skus array.");
        }

        var max = options.Value.MaxEntitiesPerRequest;
        if (items.Count > max)
        {
            return Error(StatusCodes.Status400BadRequest, "too_many_entities", $"{items.Count} keys requested; at most {max} per request.");
        }

        var keys = new string[items.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var item = items[i];
            if (skus is not null)
            {
                if (InvalidId(item) is { } problem)
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_sku", $"skus[{i}] {problem}.", index: i);
                }

                keys[i] = EntityKeys.Sku(item!);
            }
            else
            {
                if (InvalidEntityKey(item) is { } problem)
                {
                    return Error(StatusCodes.Status400BadRequest, problem.Code, $"entity_keys[{i}] {problem.Detail}.", item, i);
                }

                keys[i] = item!;
            }
        }

        var found = await store.GetManyAsync(keys, ct);
        var now = Now(request.HttpContext);
        var results = new EntityFeaturesResult[keys.Length];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = ToResult(keys[i], found[i], now);
        }

        return TypedResults.Json(new FeaturesBatchResponse { Results = results }, FeaturesApiJsonContext.Default.FeaturesBatchResponse);
    }

    /// <summary>Why a SKU, region or category is not acceptable, or null when it is.</summary>
    private static string? InvalidId(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > MaxIdLength)
        {
            return $"must be at most {MaxIdLength} characters";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return "must not contain control characters";
            }
        }

        return null;
    }

    private static (string Code, string Detail)? InvalidEntityKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return ("invalid_entity_key", "must not be empty");
        }

        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return ("unknown_entity_type", "has no type prefix; expected sku:, sku_region: or category:");
        }

        var type = key[..colon];
        var rest = key[(colon + 1)..];
        switch (type)
        {
            case "sku":
            case "category":
                return InvalidId(rest) is { } problem ? ("invalid_entity_key", $"has a {type} that {problem}") : null;
            case "sku_region":
                // SKUs may contain ':', regions do not: the region is what follows the last colon.
                var last = rest.LastIndexOf(':');
                if (last < 0)
                {
                    return ("invalid_entity_key", "must be sku_region:{sku}:{region}");
                }

                if (InvalidId(rest[..last]) is { } skuProblem)
                {
                    return ("invalid_entity_key", $"has a sku that {skuProblem}");
                }

                return InvalidId(rest[(last + 1)..]) is { } regionProblem ? ("invalid_entity_key", $"has a region that {regionProblem}") : null;
            default:
                return ("unknown_entity_type", $"has the unknown type {Truncate(type)}; expected sku, sku_region or category");
        }
    }

    private static EntityFeaturesResult ToResult(string key, OnlineFeatures? features, DateTimeOffset now) =>
        features is null
            ? new EntityFeaturesResult { EntityKey = key, Found = false }
            : new EntityFeaturesResult
            {
                EntityKey = key,
                Found = true,
                EventTime = features.EventTime,
                SchemaHash = features.SchemaHash,
                WrittenAt = features.WrittenAt,
                StalenessMs = StalenessMs(features, now),
                Features = SafeValues(features.Values),
            };

    /// <summary>The values in stored order, with non-finite ones (which JSON cannot carry) as null.</summary>
    private static Dictionary<string, double?> SafeValues(IReadOnlyDictionary<string, double> values)
    {
        var safe = new Dictionary<string, double?>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            safe[name] = double.IsFinite(value) ? value : null;
        }

        return safe;
    }

    // Writer and reader clocks differ a little; a negative staleness would only be that skew.
    private static long StalenessMs(OnlineFeatures features, DateTimeOffset now) =>
        Math.Max(0L, (long)(now - features.WrittenAt).TotalMilliseconds);

    private static DateTimeOffset Now(HttpContext http) =>
        (http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    private static string Truncate(string value) => value.Length <= MaxIdLength ? value : string.Concat(value.AsSpan(0, MaxIdLength), "…");

    private static JsonHttpResult<FeaturesApiError> Error(int status, string code, string detail, string? entityKey = null, int? index = null) =>
        TypedResults.Json(
            new FeaturesApiError { Error = code, Status = status, Detail = detail, EntityKey = entityKey is null ? null : Truncate(entityKey), Index = index },
            FeaturesApiJsonContext.Default.FeaturesApiError,
            ProblemJson,
            status);
}
