using Platform.Alerting.Configuration;

namespace Platform.Alerting.Engine;

/// <summary>The alerts of one route with the same group-by label values, and when the group is next looked at.</summary>
internal sealed class AggregationGroup(string key, AlertRoute route, SortedDictionary<string, string> labels, DateTimeOffset nextFlush)
{
    public string Key { get; } = key;

    public AlertRoute Route { get; } = route;

    public SortedDictionary<string, string> Labels { get; } = labels;

    public HashSet<string> Fingerprints { get; } = new(StringComparer.Ordinal);

    /// <summary>First flush: creation + group_wait (or at once for an alert older than that); then every group_interval.</summary>
    public DateTimeOffset NextFlush { get; set; } = nextFlush;

    public bool HasFlushed { get; set; }
}
