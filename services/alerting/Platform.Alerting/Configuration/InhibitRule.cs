using Platform.Alerting.Model;

namespace Platform.Alerting.Configuration;

/// <summary>
/// Alertmanager's inhibit rule: an alert matching <see cref="TargetMatchers"/> is muted while an active alert matching <see cref="SourceMatchers"/> has the same values of the <see cref="Equal"/>
/// labels. As in Alertmanager, a source counts while it is not resolved, even if it is silenced or inhibited itself.
/// An alert never inhibits itself.
/// </summary>
public sealed record InhibitRule(IReadOnlyList<Matcher> SourceMatchers, IReadOnlyList<Matcher> TargetMatchers, IReadOnlyList<string> Equal)
{
    public bool IsSource(IReadOnlyDictionary<string, string> labels) => SourceMatchers.All(m => m.Matches(labels));

    public bool IsTarget(IReadOnlyDictionary<string, string> labels) => TargetMatchers.All(m => m.Matches(labels));

    /// <summary>The values of the equal labels, joined; alerts with the same value are in the same inhibition scope.</summary>
    public string EqualKey(IReadOnlyDictionary<string, string> labels) =>
        string.Join('\u001f', Equal.Select(name => labels.TryGetValue(name, out var v) ? v : ""));
}
