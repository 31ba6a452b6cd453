using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Platform.Alerting.Engine;
using Platform.Alerting.Model;
using Platform.Alerting.State;

namespace Platform.Alerting.Api;

/// <summary>
/// The on-call API under /api/v1: list and read alerts, acknowledge and resolve them, create, list and expire silences.
/// Every endpoint needs the X-Api-Key header (<see cref="ApiKeyFilter"/>); the health endpoints and the OpenAPI document
/// are outside it.
/// </summary>
public static class AlertingApi
{
    public const string ApiKeyScheme = "ApiKey";

    private const string ProblemJson = "application/problem+json";
    private const int MaxTextLength = 1024;
    private const int MaxMatchers = 32;

    /// <summary>OpenAPI document generation (with the API-key scheme) and the API's JSON metadata in the app's JSON options.</summary>
    public static IServiceCollection AddAlertingApi(this IServiceCollection services)
    {
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyFilter.HeaderName,
                Description = "The key configured as Alerting:ApiKey. Requests without it, or with another, get 401.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] });
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AlertingApiJsonContext.Default));
        return services;
    }

    public static IEndpointRouteBuilder MapAlertingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AddEndpointFilter<ApiKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized, ProblemJson);

        var alerts = api.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("/", ListAlerts)
            .WithName("ListAlerts")
            .WithSummary("Alerts, optionally of one state")
            .WithDescription("?state=firing|acknowledged|silenced|inhibited|resolved (400 invalid_state otherwise). Active alerts first, "
                + "most recently seen first; resolved alerts stay listed for the retention period (Alerting:Retention, 5 days).")
            .Produces<AlertListResponse>()
            .Produces<AlertingApiError>(StatusCodes.Status400BadRequest, ProblemJson);
        alerts.MapGet("/{fingerprint}", GetAlert)
            .WithName("GetAlert")
            .WithSummary("One alert by fingerprint")
            .Produces<AlertResponse>()
            .Produces<AlertingApiError>(StatusCodes.Status404NotFound, ProblemJson);
        alerts.MapPost("/{fingerprint}/acknowledge", Acknowledge)
            .WithName("AcknowledgeAlert")
            .WithSummary("Take an alert")
            .WithDescription("Optional body {\"by\": \"who\", \"comment\": \"...\"}. The alert shows as acknowledged and is no longer "
                + "repeated on its own; every PagerDuty integration it routes to receives an acknowledge event (dedup_key "
                + "platform-alert-{fingerprint}). 404 alert_not_found; 409 alert_resolved for a resolved alert.")
            .Accepts<AcknowledgeRequest>("application/json")
            .Produces<AlertActionResponse>()
            .Produces<AlertingApiError>(StatusCodes.Status400BadRequest, ProblemJson)
            .Produces<AlertingApiError>(StatusCodes.Status404NotFound, ProblemJson)
            .Produces<AlertingApiError>(StatusCodes.Status409Conflict, ProblemJson);
        alerts.MapPost("/{fingerprint}/resolve", Resolve)
            .WithName("ResolveAlert")
            .WithSummary("Resolve an alert now")
            .WithDescription("Optional body {\"by\": \"who\"}. PagerDuty integrations receive a resolve event at once; webhook and Slack "
                + "receivers get the resolution with the group's next notification. A later detection opens a new episode. "
                + "404 alert_not_found; 409 alert_resolved when it already is.")
            .Accepts<ResolveRequest>("application/json")
            .Produces<AlertActionResponse>()
            .Produces<AlertingApiError>(StatusCodes.Status400BadRequest, ProblemJson)
            .Produces<AlertingApiError>(StatusCodes.Status404NotFound, ProblemJson)
            .Produces<AlertingApiError>(StatusCodes.Status409Conflict, ProblemJson);

        var silences = api.MapGroup("/silences").WithTags("Silences");
        silences.MapGet("/", ListSilences)
            .WithName("ListSilences")
            .WithSummary("Silences, optionally of one status")
            .WithDescription("?status=pending|active|expired (400 invalid_status otherwise). Expired silences stay listed for the retention period.")
            .Produces<SilenceListResponse>()
            .Produces<AlertingApiError>(StatusCodes.Status400BadRequest, ProblemJson);
        silences.MapPost("/", CreateSilence)
            .WithName("CreateSilence")
            .WithSummary("Mute the alerts a set of matchers selects, for a while")
            .WithDescription("Body {\"matchers\": [{\"name\": \"sku\", \"value\": \"123\", \"is_regex\": false, \"is_equal\": true}], "
                + "\"ends_at\": \"...\", \"created_by\": \"...\", \"comment\": \"...\"}; starts_at defaults to now. Regexes are anchored. "
                + "400 with invalid_json, missing_matchers, too_many_matchers, invalid_matcher, matches_everything (every matcher "
                + "also matches a missing label, so the silence would mute everything), missing_created_by, missing_comment, "
                + "invalid_time_range (ends_at missing, not after starts_at, or past).")
            .Accepts<CreateSilenceRequest>("application/json")
            .Produces<SilenceResponse>(StatusCodes.Status201Created)
            .Produces<AlertingApiError>(StatusCodes.Status400BadRequest, ProblemJson);
        silences.MapDelete("/{id}", ExpireSilence)
            .WithName("ExpireSilence")
            .WithSummary("End a silence now")
            .WithDescription("The silence ends now and stays listed as expired; muted alerts are notified again from their groups' next "
                + "flush. Expiring an expired silence changes nothing. 404 silence_not_found.")
            .Produces<SilenceResponse>()
            .Produces<AlertingApiError>(StatusCodes.Status404NotFound, ProblemJson);
        return app;
    }

    private static async Task<IResult> ListAlerts([FromQuery] string? state, [FromServices] IAlertStateStore store, CancellationToken ct)
    {
        AlertState? filter = null;
        if (state is not null)
        {
            if (!AlertStates.TryParse(state, out var parsed))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_state",
                    $"state must be one of {string.Join(", ", Enum.GetValues<AlertState>().Select(AlertStates.Name))}.");
            }

            filter = parsed;
        }

        var alerts = await store.ListAlertsAsync(ct);
        var result = alerts
            .Where(a => filter is null || a.State == filter)
            .OrderBy(a => a.State == AlertState.Resolved)
            .ThenByDescending(a => a.LastSeenAt)
            .Select(AlertResponse.From)
            .ToList();
        return TypedResults.Json(new AlertListResponse { Alerts = result }, AlertingApiJsonContext.Default.AlertListResponse);
    }

    private static async Task<IResult> GetAlert(string fingerprint, [FromServices] IAlertStateStore store, CancellationToken ct)
    {
        var alert = AlertFingerprint.IsWellFormed(fingerprint) ? await store.GetAlertAsync(fingerprint, ct) : null;
        return alert is null
            ? NotFound(fingerprint)
            : TypedResults.Json(AlertResponse.From(alert), AlertingApiJsonContext.Default.AlertResponse);
    }

    private static async Task<IResult> Acknowledge(string fingerprint, HttpRequest request, [FromServices] AlertEngine engine, CancellationToken ct)
    {
        var (body, problem) = await ReadOptionalAsync(request, AlertingApiJsonContext.Default.AcknowledgeRequest, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (TooLong(body?.By) || TooLong(body?.Comment))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_field", $"by and comment are at most {MaxTextLength} characters.");
        }

        if (!AlertFingerprint.IsWellFormed(fingerprint))
        {
            return NotFound(fingerprint);
        }

        var result = await engine.AcknowledgeAsync(fingerprint, string.IsNullOrWhiteSpace(body?.By) ? "api" : body.By, body?.Comment, ct);
        return ActionResult(fingerprint, result);
    }

    private static async Task<IResult> Resolve(string fingerprint, HttpRequest request, [FromServices] AlertEngine engine, CancellationToken ct)
    {
        var (body, problem) = await ReadOptionalAsync(request, AlertingApiJsonContext.Default.ResolveRequest, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (TooLong(body?.By))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_field", $"by is at most {MaxTextLength} characters.");
        }

        if (!AlertFingerprint.IsWellFormed(fingerprint))
        {
            return NotFound(fingerprint);
        }

        var result = await engine.ResolveAsync(fingerprint, string.IsNullOrWhiteSpace(body?.By) ? "api" : body.By, ct);
        return ActionResult(fingerprint, result);
    }

    private static async Task<IResult> ListSilences([FromQuery] string? status, [FromServices] IAlertStateStore store, [FromServices] TimeProvider time, CancellationToken ct)
    {
        if (status is not null and not ("pending" or "active" or "expired"))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_status", "status must be one of pending, active, expired.");
        }

        var now = time.GetUtcNow();
        var silences = (await store.ListSilencesAsync(ct))
            .Select(s => SilenceResponse.From(s, now))
            .Where(s => status is null || s.Status == status)
            .OrderByDescending(s => s.EndsAt)
            .ToList();
        return TypedResults.Json(new SilenceListResponse { Silences = silences }, AlertingApiJsonContext.Default.SilenceListResponse);
    }

    private static async Task<IResult> CreateSilence(HttpRequest request, [FromServices] AlertEngine engine, [FromServices] TimeProvider time, CancellationToken ct)
    {
        CreateSilenceRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, AlertingApiJsonContext.Default.CreateSilenceRequest, ct);
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_json", $"The body is not a valid silence: {ex.Message}");
        }

        if (body?.Matchers is not { Count: > 0 } matcherModels)
        {
            return Error(StatusCodes.Status400BadRequest, "missing_matchers", "A silence needs at least one matcher.");
        }

        if (matcherModels.Count > MaxMatchers)
        {
            return Error(StatusCodes.Status400BadRequest, "too_many_matchers", $"At most {MaxMatchers} matchers.");
        }

        var matchers = new List<SilenceMatcher>(matcherModels.Count);
        var compiled = new List<Matcher>(matcherModels.Count);
        for (var i = 0; i < matcherModels.Count; i++)
        {
            var m = matcherModels[i];
            if (m is null || m.Value is null || TooLong(m.Value))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_matcher", $"matchers[{i}] needs a name and a value of at most {MaxTextLength} characters.");
            }

            var matcher = new SilenceMatcher { Name = m.Name ?? "", Value = m.Value, IsRegex = m.IsRegex, IsEqual = m.IsEqual };
            try
            {
                compiled.Add(matcher.ToMatcher());
            }
            catch (FormatException ex)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_matcher", $"matchers[{i}]: {ex.Message}");
            }

            matchers.Add(matcher);
        }

        // Alertmanager's guard: if every matcher also matches an absent label, the silence would mute every alert.
        var empty = new Dictionary<string, string>();
        if (compiled.All(m => m.Matches(empty)))
        {
            return Error(StatusCodes.Status400BadRequest, "matches_everything",
                "At least one matcher must not match an empty label value; this silence would mute every alert.");
        }

        if (string.IsNullOrWhiteSpace(body.CreatedBy) || TooLong(body.CreatedBy))
        {
            return Error(StatusCodes.Status400BadRequest, "missing_created_by", $"created_by is required (at most {MaxTextLength} characters).");
        }

        if (string.IsNullOrWhiteSpace(body.Comment) || TooLong(body.Comment))
        {
            return Error(StatusCodes.Status400BadRequest, "missing_comment", $"comment is required (at most {MaxTextLength} characters): say why.");
        }

        var now = time.GetUtcNow();
        var startsAt = body.StartsAt ?? now;
        if (body.EndsAt is not { } endsAt || endsAt <= startsAt || endsAt <= now)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_time_range", "ends_at is required, after starts_at and in the future.");
        }

        var silence = new Silence
        {
            Id = Guid.NewGuid().ToString("N"),
            Matchers = matchers,
            StartsAt = startsAt,
            EndsAt = endsAt,
            CreatedBy = body.CreatedBy,
            Comment = body.Comment,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await engine.CreateSilenceAsync(silence, ct);
        return TypedResults.Json(SilenceResponse.From(silence, now), AlertingApiJsonContext.Default.SilenceResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ExpireSilence(string id, [FromServices] AlertEngine engine, [FromServices] TimeProvider time, CancellationToken ct)
    {
        var silence = id.Length is > 0 and <= 64 ? await engine.ExpireSilenceAsync(id, ct) : null;
        return silence is null
            ? Error(StatusCodes.Status404NotFound, "silence_not_found", $"No silence {Truncate(id)}.")
            : TypedResults.Json(SilenceResponse.From(silence, time.GetUtcNow()), AlertingApiJsonContext.Default.SilenceResponse);
    }

    private static IResult ActionResult(string fingerprint, AlertActionResult result) => result.Outcome switch
    {
        AlertActionOutcome.NotFound => NotFound(fingerprint),
        AlertActionOutcome.AlreadyResolved => Error(StatusCodes.Status409Conflict, "alert_resolved", $"Alert {fingerprint} is resolved."),
        _ => TypedResults.Json(
            new AlertActionResponse { Alert = AlertResponse.From(result.Alert!), PagerDutyEventsQueued = result.PagerDutyEvents },
            AlertingApiJsonContext.Default.AlertActionResponse),
    };

    private static async Task<(T? Body, IResult? Problem)> ReadOptionalAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return (null, null);
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync(request.Body, type, ct), null);
        }
        catch (JsonException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, "invalid_json", $"The body is not valid: {ex.Message}"));
        }
    }

    private static bool TooLong(string? value) => value is { Length: > MaxTextLength };

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static JsonHttpResult<AlertingApiError> NotFound(string fingerprint) =>
        Error(StatusCodes.Status404NotFound, "alert_not_found", $"No alert {Truncate(fingerprint)}.");

    internal static JsonHttpResult<AlertingApiError> Error(int status, string code, string detail) =>
        TypedResults.Json(new AlertingApiError { Error = code, Status = status, Detail = detail }, AlertingApiJsonContext.Default.AlertingApiError, ProblemJson, status);
}
