using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Deploy.Tests;

/// <summary>
/// The name an instrument gets at /metrics, by the OpenTelemetry Prometheus exporter's rules (the OpenTelemetry
/// specification's "Prometheus and OpenMetrics compatibility"): characters other than letters, digits and ':' become
/// '_'; the unit is appended unless it is an annotation in braces ({record}) or already in the name ("ms" becomes
/// "milliseconds", "1" adds nothing); counters end in _total. The exporter this repository uses (1.20.1-beta.1) adds
/// no _ratio to gauges of unit "1", though the specification says so: a test checks these rules against the exporter.
/// </summary>
internal static partial class PrometheusNames
{
    public const string Counter = "counter";
    public const string Gauge = "gauge";
    public const string Histogram = "histogram";

    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days", ["h"] = "hours", ["min"] = "minutes", ["s"] = "seconds", ["ms"] = "milliseconds",
        ["us"] = "microseconds", ["ns"] = "nanoseconds", ["By"] = "bytes", ["1"] = "", ["%"] = "percent",
    };

    public static string Of(string name, string? unit, string kind)
    {
        var exported = Sanitize(name);
        if (!string.IsNullOrEmpty(unit))
        {
            var withoutAnnotations = Annotation().Replace(unit, "");
            var suffix = Units.TryGetValue(withoutAnnotations, out var word) ? word : Sanitize(withoutAnnotations);
            if (!exported.Contains(suffix, StringComparison.Ordinal))
            {
                exported += "_" + suffix;
            }
        }

        if (kind == Counter && !exported.Contains("total", StringComparison.Ordinal))
        {
            exported += "_total";
        }

        return exported;
    }

    /// <summary>Every series name an instrument shows up under (a histogram's _bucket, _sum and _count).</summary>
    public static IEnumerable<string> Series(string name, string? unit, string kind)
    {
        var exported = Of(name, unit, kind);
        return kind == Histogram ? [exported + "_bucket", exported + "_sum", exported + "_count"] : [exported];
    }

    /// <summary>Every series of the platform's own instruments.</summary>
    public static IReadOnlySet<string> Platform { get; } =
        PlatformInstruments.All.SelectMany(i => Series(i.Name, i.Unit, i.Kind)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Metric names of the platform ("platform_...") used in a PromQL expression.</summary>
    public static IEnumerable<string> UsedIn(string promql) => PlatformMetric().Matches(promql).Select(m => m.Value).Distinct();

    private static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var keep = char.IsAsciiLetterOrDigit(c) || c == ':';
            if (keep)
            {
                text.Append(c);
            }
            else if (text.Length == 0 || text[^1] != '_')
            {
                text.Append('_');
            }
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Annotation();

    [GeneratedRegex(@"\bplatform_[a-zA-Z0-9_:]+")]
    private static partial Regex PlatformMetric();
}
