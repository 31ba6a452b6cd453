using System.Text.Json.Serialization;

namespace Platform.Alerting.Model;

/// <summary>
/// Where an alert stands. Precedence when several apply: resolved, then silenced, inhibited, acknowledged, firing
/// (a silenced alert that someone also acknowledged shows as silenced; its acknowledgement is kept).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertState>))]
public enum AlertState
{
    /// <summary>Active and notified through its routes.</summary>
    [JsonStringEnumMemberName("firing")]
    Firing,

    /// <summary>Active; someone took it. It is still notified when its group changes, never repeated on its own.</summary>
    [JsonStringEnumMemberName("acknowledged")]
    Acknowledged,

    /// <summary>Active, muted by at least one active silence.</summary>
    [JsonStringEnumMemberName("silenced")]
    Silenced,

    /// <summary>Active, muted by a firing alert through an inhibit rule.</summary>
    [JsonStringEnumMemberName("inhibited")]
    Inhibited,

    /// <summary>Not re-observed for resolve_timeout, or resolved through the API.</summary>
    [JsonStringEnumMemberName("resolved")]
    Resolved,
}
