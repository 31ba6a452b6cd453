using System.Text;
using Platform.Alerting.Model;

namespace Platform.Alerting.Configuration;

/// <summary>
/// A node of the routing tree. Children inherit the receiver, grouping and timings they do not set. An alert goes to the
/// deepest matching routes: the first matching child takes it unless that child has <see cref="Continue"/>, in which case
/// the next matching siblings are tried too; a node none of whose children match takes the alert itself (Alertmanager).
/// </summary>
public sealed class AlertRoute
{
    /// <summary>Group-by value meaning "every label": each alert is its own group.</summary>
    public const string AllLabels = "...";

    public required string Id { get; init; }

    public required string Receiver { get; init; }

    /// <summary>Label names, sorted; empty with <see cref="GroupByAll"/> false puts all the route's alerts in one group.</summary>
    public required IReadOnlyList<string> GroupBy { get; init; }

    public bool GroupByAll { get; init; }

    /// <summary>How long a new group waits for more alerts before its first notification.</summary>
    public TimeSpan GroupWait { get; init; }

    /// <summary>How long a group waits after a notification before notifying changes (new or resolved alerts).</summary>
    public TimeSpan GroupInterval { get; init; }

    /// <summary>How long after a notification an unchanged group is notified again.</summary>
    public TimeSpan RepeatInterval { get; init; }

    public required IReadOnlyList<Matcher> Matchers { get; init; }

    public bool Continue { get; init; }

    public required IReadOnlyList<AlertRoute> Routes { get; init; }

    /// <summary>The routes that take an alert with these labels (empty when this node does not match).</summary>
    public IReadOnlyList<AlertRoute> Match(IReadOnlyDictionary<string, string> labels)
    {
        if (!Matchers.All(m => m.Matches(labels)))
        {
            return [];
        }

        var all = new List<AlertRoute>();
        foreach (var child in Routes)
        {
            var matches = child.Match(labels);
            all.AddRange(matches);
            if (matches.Count > 0 && !child.Continue)
            {
                break;
            }
        }

        if (all.Count == 0)
        {
            all.Add(this);
        }

        return all;
    }

    /// <summary>The labels that define the alert's group under this route.</summary>
    public SortedDictionary<string, string> GroupLabels(IReadOnlyDictionary<string, string> labels)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (GroupByAll)
        {
            foreach (var (name, value) in labels)
            {
                result[name] = value;
            }

            return result;
        }

        foreach (var name in GroupBy)
        {
            if (labels.TryGetValue(name, out var value))
            {
                result[name] = value;
            }
        }

        return result;
    }

    /// <summary>"{route id}:{name="value",...}": stable while the route tree and the grouping labels are.</summary>
    public string GroupKey(IReadOnlyDictionary<string, string> groupLabels)
    {
        var text = new StringBuilder(Id).Append(":{");
        var first = true;
        foreach (var (name, value) in groupLabels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            text.Append(name).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }

        return text.Append('}').ToString();
    }

    public IEnumerable<AlertRoute> SelfAndDescendants() => Routes.SelectMany(r => r.SelfAndDescendants()).Prepend(this);
}
