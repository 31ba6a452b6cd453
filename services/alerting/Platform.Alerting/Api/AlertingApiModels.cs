using System.ComponentModel;
using System.Text.Json.Serialization;
using Platform.Alerting.Model;

namespace Platform.Alerting.Api;

// The wire contract of the alerting API, snake_case names fixed by attribute (the same whichever options serialize or
// describe them).

public sealed class AlertResponse
{
    [JsonPropertyName("fingerprint")]
    [Description("16 hex digits of (kind, sku, region); PagerDuty's dedup_key is \"platform-alert-{fingerprint}\".")]
    public required string Fingerprint { get; init; }

    [JsonPropertyName("state")]
    [Description("firing, acknowledged, silenced, inhibited or resolved.")]
    public required string State { get; init; }

    [JsonPropertyName("labels")]
    public required Dictionary<string, string> Labels { get; init; }

    [JsonPropertyName("annotations")]
    public required Dictionary<string, string> Annotations { get; init; }

    [JsonPropertyName("starts_at")]
    [Description("First detection of this episode.")]
    public required DateTimeOffset StartsAt { get; init; }

    [JsonPropertyName("last_seen_at")]
    public required DateTimeOffset LastSeenAt { get; init; }

    [JsonPropertyName("count")]
    [Description("Detections merged into this episode.")]
    public required long Count { get; init; }

    [JsonPropertyName("resolved_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ResolvedAt { get; init; }

    [JsonPropertyName("resolved_by")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("\"timeout\" (not re-observed for resolve_timeout) or \"api:{who}\".")]
    public string? ResolvedBy { get; init; }

    [JsonPropertyName("acknowledged_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? AcknowledgedAt { get; init; }

    [JsonPropertyName("acknowledged_by")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AcknowledgedBy { get; init; }

    [JsonPropertyName("silenced_by")]
    [Description("Ids of the active silences muting it.")]
    public required List<string> SilencedBy { get; init; }

    [JsonPropertyName("inhibited_by")]
    [Description("Fingerprints of the alerts inhibiting it.")]
    public required List<string> InhibitedBy { get; init; }

    public static AlertResponse From(AlertRecord alert) => new()
    {
        Fingerprint = alert.Fingerprint,
        State = AlertStates.Name(alert.State),
        Labels = alert.Labels,
        Annotations = alert.Annotations,
        StartsAt = alert.StartsAt,
        LastSeenAt = alert.LastSeenAt,
        Count = alert.Count,
        ResolvedAt = alert.ResolvedAt,
        ResolvedBy = alert.ResolvedBy,
        AcknowledgedAt = alert.AcknowledgedAt,
        AcknowledgedBy = alert.AcknowledgedBy,
        SilencedBy = alert.SilencedBy,
        InhibitedBy = alert.InhibitedBy,
    };
}

public sealed class AlertListResponse
{
    [JsonPropertyName("alerts")]
    public required List<AlertResponse> Alerts { get; init; }
}

public sealed class AlertActionResponse
{
    [JsonPropertyName("alert")]
    public required AlertResponse Alert { get; init; }

    [JsonPropertyName("pagerduty_events_queued")]
    [Description("PagerDuty acknowledge/resolve events handed to the delivery queue (one per PagerDuty integration the alert routes to).")]
    public required int PagerDutyEventsQueued { get; init; }
}

public sealed class AcknowledgeRequest
{
    [JsonPropertyName("by")]
    [Description("Who takes the alert; \"api\" when absent.")]
    public string? By { get; init; }

    [JsonPropertyName("comment")]
    public string? Comment { get; init; }
}

public sealed class ResolveRequest
{
    [JsonPropertyName("by")]
    public string? By { get; init; }
}

public sealed class SilenceMatcherModel
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }

    [JsonPropertyName("is_regex")]
    [Description("The value is a regular expression, anchored at both ends.")]
    public bool IsRegex { get; init; }

    [JsonPropertyName("is_equal")]
    // A setter, not init: the source-generated reader keeps an initializer's default only for settable properties.
    [Description("False negates the matcher (!= or !~). Default true.")]
    public bool IsEqual { get; set; } = true;
}

public sealed class CreateSilenceRequest
{
    [JsonPropertyName("matchers")]
    public List<SilenceMatcherModel>? Matchers { get; init; }

    [JsonPropertyName("starts_at")]
    [Description("Default: now.")]
    public DateTimeOffset? StartsAt { get; init; }

    [JsonPropertyName("ends_at")]
    [Description("Required, after starts_at and in the future.")]
    public DateTimeOffset? EndsAt { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("comment")]
    public string? Comment { get; init; }
}

public sealed class SilenceResponse
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("status")]
    [Description("pending, active or expired.")]
    public required string Status { get; init; }

    [JsonPropertyName("matchers")]
    public required List<SilenceMatcherModel> Matchers { get; init; }

    [JsonPropertyName("starts_at")]
    public required DateTimeOffset StartsAt { get; init; }

    [JsonPropertyName("ends_at")]
    public required DateTimeOffset EndsAt { get; init; }

    [JsonPropertyName("created_by")]
    public required string CreatedBy { get; init; }

    [JsonPropertyName("comment")]
    public required string Comment { get; init; }

    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    public static SilenceResponse From(Silence silence, DateTimeOffset now) => new()
    {
        Id = silence.Id,
        Status = silence.StatusAt(now),
        Matchers = silence.Matchers.Select(m => new SilenceMatcherModel { Name = m.Name, Value = m.Value, IsRegex = m.IsRegex, IsEqual = m.IsEqual }).ToList(),
        StartsAt = silence.StartsAt,
        EndsAt = silence.EndsAt,
        CreatedBy = silence.CreatedBy,
        Comment = silence.Comment,
        CreatedAt = silence.CreatedAt,
    };
}

public sealed class SilenceListResponse
{
    [JsonPropertyName("silences")]
    public required List<SilenceResponse> Silences { get; init; }
}

/// <summary>Every 4xx: a machine-readable code, the status and a sentence.</summary>
public sealed class AlertingApiError
{
    [JsonPropertyName("error")]
    public required string Error { get; init; }

    [JsonPropertyName("status")]
    public required int Status { get; init; }

    [JsonPropertyName("detail")]
    public required string Detail { get; init; }
}
