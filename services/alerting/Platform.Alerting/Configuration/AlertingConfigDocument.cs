namespace Platform.Alerting.Configuration;

// The YAML file as written (Alertmanager's layout, snake_case keys). Unknown keys are errors, so a typo such as
// "group_wiat" is refused instead of silently using the default. AlertingConfigLoader validates and compiles it.

/// <summary>Root of the alerting YAML file.</summary>
public sealed class AlertingConfigDocument
{
    public GlobalDocument? Global { get; set; }

    public RouteDocument? Route { get; set; }

    public List<ReceiverDocument>? Receivers { get; set; }

    public List<InhibitRuleDocument>? InhibitRules { get; set; }
}

public sealed class GlobalDocument
{
    /// <summary>An alert not re-observed for this long is resolved. Default 5m.</summary>
    public string? ResolveTimeout { get; set; }

    /// <summary>Default PagerDuty Events API v2 endpoint for pagerduty_configs without url.</summary>
    public string? PagerdutyUrl { get; set; }
}

public sealed class RouteDocument
{
    public string? Receiver { get; set; }

    /// <summary>Labels whose values split alerts into groups; "..." groups by all labels (one alert per group).</summary>
    public List<string>? GroupBy { get; set; }

    public string? GroupWait { get; set; }

    public string? GroupInterval { get; set; }

    public string? RepeatInterval { get; set; }

    public List<string>? Matchers { get; set; }

    public bool? Continue { get; set; }

    public List<RouteDocument>? Routes { get; set; }
}

public sealed class ReceiverDocument
{
    public string? Name { get; set; }

    public List<WebhookDocument>? WebhookConfigs { get; set; }

    public List<SlackDocument>? SlackConfigs { get; set; }

    public List<PagerDutyDocument>? PagerdutyConfigs { get; set; }
}

public sealed class WebhookDocument
{
    public string? Url { get; set; }

    public bool? SendResolved { get; set; }

    /// <summary>Most alerts in one notification; 0 (default) is no limit. The rest are counted in truncatedAlerts.</summary>
    public int? MaxAlerts { get; set; }
}

public sealed class SlackDocument
{
    public string? ApiUrl { get; set; }

    public string? Channel { get; set; }

    public bool? SendResolved { get; set; }
}

public sealed class PagerDutyDocument
{
    public string? RoutingKey { get; set; }

    /// <summary>Name of an environment variable holding the routing key, so the key need not be in the file.</summary>
    public string? RoutingKeyEnv { get; set; }

    public string? Url { get; set; }

    /// <summary>Fixed PagerDuty severity; by default the alert's own severity label.</summary>
    public string? Severity { get; set; }

    public bool? SendResolved { get; set; }
}

public sealed class InhibitRuleDocument
{
    public List<string>? SourceMatchers { get; set; }

    public List<string>? TargetMatchers { get; set; }

    public List<string>? Equal { get; set; }
}
