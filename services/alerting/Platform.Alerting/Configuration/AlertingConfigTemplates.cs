using System.Globalization;
using System.Text;

namespace Platform.Alerting.Configuration;

/// <summary>Configurations for when no file is given: the built-in default, and one for the embedded demo's --webhook.</summary>
public static class AlertingConfigTemplates
{
    /// <summary>
    /// Used when neither Alerting:ConfigFile nor Alerting:ConfigYaml is set: alerts are tracked, grouped and listed by the
    /// API, and notified to nobody. The stockout → demand-drop inhibition is on.
    /// </summary>
    public const string Default = """
        # Built-in default: no integrations. Set Alerting:ConfigFile to route alerts somewhere.
        route:
          receiver: none
          group_by: [kind, region]
        receivers:
          - name: none
        inhibit_rules:
          - source_matchers: ['kind="stockout_risk"']
            target_matchers: ['kind="demand_drop"']
            equal: [sku]
        """;

    /// <summary>
    /// Every alert to one URL as PagerDuty Events API v2 events (the embedded demo's --webhook), with short timings so a
    /// one-minute demo sees notifications, and the stockout → demand-drop inhibition.
    /// </summary>
    /// <param name="url">Where the events are POSTed (any HTTP receiver; PagerDuty's own endpoint works too).</param>
    /// <param name="routingKey">The routing_key in each event.</param>
    /// <param name="groupWait">group_wait of the root route.</param>
    /// <param name="groupInterval">group_interval of the root route.</param>
    /// <param name="resolveTimeout">How long an alert stays firing without being re-observed.</param>
    public static string PagerDutyWebhook(string url, string routingKey = "platform-demo", TimeSpan? groupWait = null, TimeSpan? groupInterval = null, TimeSpan? resolveTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(routingKey);
        var text = new StringBuilder();
        text.AppendLine("global:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  resolve_timeout: {PrometheusDuration.Format(resolveTimeout ?? TimeSpan.FromMinutes(5))}");
        text.AppendLine("route:");
        text.AppendLine("  receiver: webhook");
        text.AppendLine("  group_by: [kind, region]");
        text.AppendLine(CultureInfo.InvariantCulture, $"  group_wait: {PrometheusDuration.Format(groupWait ?? TimeSpan.FromSeconds(2))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  group_interval: {PrometheusDuration.Format(groupInterval ?? TimeSpan.FromSeconds(10))}");
        text.AppendLine("  repeat_interval: 4h");
        text.AppendLine("receivers:");
        text.AppendLine("  - name: webhook");
        text.AppendLine("    pagerduty_configs:");
        text.AppendLine(CultureInfo.InvariantCulture, $"      - url: {Quote(url)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"        routing_key: {Quote(routingKey)}");
        text.AppendLine("inhibit_rules:");
        text.AppendLine("  - source_matchers: ['kind=\"stockout_risk\"']");
        text.AppendLine("    target_matchers: ['kind=\"demand_drop\"']");
        text.AppendLine("    equal: [sku]");
        return text.ToString();
    }

    // YAML double-quoted scalar: backslash and quote escaped, so any URL or key stays one string.
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
