namespace Platform.Alerting.Model;

/// <summary>Label names every alert carries; routes, inhibit rules, silences and grouping match on them.</summary>
public static class AlertLabels
{
    /// <summary>The anomaly kind again, under the name Alertmanager users expect to group and match on.</summary>
    public const string AlertName = "alertname";
    public const string Kind = "kind";
    public const string Sku = "sku";
    public const string Region = "region";
    public const string Severity = "severity";

    /// <summary>The severities PagerDuty Events API v2 accepts; the contract's critical/warning/info are a subset.</summary>
    public static readonly IReadOnlyList<string> Severities = ["critical", "error", "warning", "info"];
}
