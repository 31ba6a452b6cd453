using System.Security.Cryptography;
using System.Text;
using Platform.Alerting.Model;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Platform.Alerting.Configuration;

/// <summary>
/// Reads the alerting YAML (Alertmanager's layout: global, route, receivers, inhibit_rules), validates every part and
/// compiles it. Any problem refuses the whole file with an <see cref="AlertingConfigException"/> listing each problem
/// with its path, e.g. "route.routes[1].matchers[0]: invalid regex ...".
/// </summary>
public static class AlertingConfigLoader
{
    public static readonly TimeSpan DefaultGroupWait = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultGroupInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultRepeatInterval = TimeSpan.FromHours(4);

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <param name="yaml">The file's text.</param>
    /// <param name="origin">Where it came from, for logs and the API.</param>
    /// <param name="loadedAt">When it is loaded.</param>
    /// <param name="environment">Reads routing_key_env variables; the process environment by default.</param>
    public static AlertingConfiguration Parse(string yaml, string origin, DateTimeOffset loadedAt, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        AlertingConfigDocument? document;
        try
        {
            document = Yaml.Deserialize<AlertingConfigDocument?>(yaml);
        }
        catch (YamlException ex)
        {
            var cause = ex.InnerException is { } inner && inner.Message != ex.Message ? $": {inner.Message}" : "";
            throw new AlertingConfigException($"{origin}: not valid alerting YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}{cause}", ex);
        }

        if (document is null)
        {
            throw new AlertingConfigException($"{origin}: the file is empty");
        }

        var errors = new List<string>();
        var compiled = Compile(document, origin, loadedAt, environment ?? Environment.GetEnvironmentVariable, errors, HashOf(yaml));
        if (errors.Count > 0 || compiled is null)
        {
            throw new AlertingConfigException($"{origin}: {errors.Count} problem(s): {string.Join("; ", errors)}");
        }

        return compiled;
    }

    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static AlertingConfiguration? Compile(
        AlertingConfigDocument document, string origin, DateTimeOffset loadedAt, Func<string, string?> environment, List<string> errors, string hash)
    {
        var resolveTimeout = Duration(document.Global?.ResolveTimeout, "global.resolve_timeout", AlertingConfiguration.DefaultResolveTimeout, errors, positive: true);
        var pagerDutyUrl = document.Global?.PagerdutyUrl ?? AlertingConfiguration.DefaultPagerDutyUrl;
        if (!IsHttpUrl(pagerDutyUrl))
        {
            errors.Add("global.pagerduty_url: must be an absolute http(s) URL");
        }

        var receivers = new Dictionary<string, Receiver>(StringComparer.Ordinal);
        var receiverDocs = document.Receivers ?? [];
        if (receiverDocs.Count == 0)
        {
            errors.Add("receivers: at least one receiver is required");
        }

        for (var i = 0; i < receiverDocs.Count; i++)
        {
            var receiver = CompileReceiver(receiverDocs[i], $"receivers[{i}]", pagerDutyUrl, environment, errors);
            if (receiver is null)
            {
                continue;
            }

            if (!receivers.TryAdd(receiver.Name, receiver))
            {
                errors.Add($"receivers[{i}].name: \"{receiver.Name}\" is defined twice");
            }
        }

        AlertRoute? route = null;
        if (document.Route is null)
        {
            errors.Add("route: the root route is required");
        }
        else
        {
            if (document.Route.Matchers is { Count: > 0 })
            {
                errors.Add("route.matchers: the root route must match every alert, so it cannot have matchers");
            }

            if (document.Route.Continue == true)
            {
                errors.Add("route.continue: the root route cannot have continue");
            }

            if (string.IsNullOrWhiteSpace(document.Route.Receiver))
            {
                errors.Add("route.receiver: the root route needs a receiver (the default for every route)");
            }

            var defaults = new AlertRoute
            {
                Id = "",
                Receiver = document.Route.Receiver ?? "",
                GroupBy = [],
                GroupWait = DefaultGroupWait,
                GroupInterval = DefaultGroupInterval,
                RepeatInterval = DefaultRepeatInterval,
                Matchers = [],
                Routes = [],
            };
            route = CompileRoute(document.Route, "route", "/", defaults, receivers, errors);
        }

        var rules = new List<InhibitRule>();
        var ruleDocs = document.InhibitRules ?? [];
        for (var i = 0; i < ruleDocs.Count; i++)
        {
            var path = $"inhibit_rules[{i}]";
            var source = Matchers(ruleDocs[i].SourceMatchers, $"{path}.source_matchers", errors);
            var target = Matchers(ruleDocs[i].TargetMatchers, $"{path}.target_matchers", errors);
            if (source.Count == 0)
            {
                errors.Add($"{path}.source_matchers: at least one matcher is required");
            }

            if (target.Count == 0)
            {
                errors.Add($"{path}.target_matchers: at least one matcher is required");
            }

            var equal = ruleDocs[i].Equal ?? [];
            foreach (var name in equal.Where(n => !Matcher.IsValidLabelName(n)))
            {
                errors.Add($"{path}.equal: \"{name}\" is not a valid label name");
            }

            rules.Add(new InhibitRule(source, target, equal));
        }

        return route is null || errors.Count > 0
            ? null
            : new AlertingConfiguration
            {
                Route = route,
                Receivers = receivers,
                InhibitRules = rules,
                ResolveTimeout = resolveTimeout,
                Origin = origin,
                Hash = hash,
                LoadedAt = loadedAt,
            };
    }

    private static AlertRoute CompileRoute(RouteDocument doc, string path, string id, AlertRoute parent, Dictionary<string, Receiver> receivers, List<string> errors)
    {
        var receiver = doc.Receiver ?? parent.Receiver;
        if (!string.IsNullOrEmpty(receiver) && !receivers.ContainsKey(receiver))
        {
            errors.Add($"{path}.receiver: no receiver named \"{receiver}\"");
        }

        var groupBy = parent.GroupBy;
        var groupByAll = parent.GroupByAll;
        if (doc.GroupBy is { } names)
        {
            groupByAll = names.Contains(AlertRoute.AllLabels);
            if (groupByAll && names.Count > 1)
            {
                errors.Add($"{path}.group_by: \"...\" (all labels) cannot be combined with label names");
            }

            foreach (var name in names.Where(n => n != AlertRoute.AllLabels && !Matcher.IsValidLabelName(n)))
            {
                errors.Add($"{path}.group_by: \"{name}\" is not a valid label name");
            }

            groupBy = groupByAll ? [] : names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }

        var groupInterval = Duration(doc.GroupInterval, $"{path}.group_interval", parent.GroupInterval, errors, positive: true);
        var repeatInterval = Duration(doc.RepeatInterval, $"{path}.repeat_interval", parent.RepeatInterval, errors, positive: true);
        var matchers = Matchers(doc.Matchers, $"{path}.matchers", errors);
        var node = new AlertRoute
        {
            Id = id,
            Receiver = receiver,
            GroupBy = groupBy,
            GroupByAll = groupByAll,
            GroupWait = Duration(doc.GroupWait, $"{path}.group_wait", parent.GroupWait, errors, positive: false),
            GroupInterval = groupInterval,
            RepeatInterval = repeatInterval,
            Matchers = matchers,
            Continue = doc.Continue ?? false,
            Routes = [],
        };
        var children = new List<AlertRoute>();
        var childDocs = doc.Routes ?? [];
        for (var i = 0; i < childDocs.Count; i++)
        {
            // The id names the path of indexes and the matchers, so a reload that keeps a route keeps its groups' keys.
            var childId = $"{id.TrimEnd('/')}/{i}{{{string.Join(',', (childDocs[i].Matchers ?? []).Select(m => m.Trim()))}}}";
            children.Add(CompileRoute(childDocs[i], $"{path}.routes[{i}]", childId, node, receivers, errors));
        }

        return new AlertRoute
        {
            Id = node.Id,
            Receiver = node.Receiver,
            GroupBy = node.GroupBy,
            GroupByAll = node.GroupByAll,
            GroupWait = node.GroupWait,
            GroupInterval = node.GroupInterval,
            RepeatInterval = node.RepeatInterval,
            Matchers = node.Matchers,
            Continue = node.Continue,
            Routes = children,
        };
    }

    private static Receiver? CompileReceiver(ReceiverDocument doc, string path, string pagerDutyUrl, Func<string, string?> environment, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(doc.Name))
        {
            errors.Add($"{path}.name: required");
            return null;
        }

        var integrations = new List<Integration>();
        var webhooks = doc.WebhookConfigs ?? [];
        for (var i = 0; i < webhooks.Count; i++)
        {
            var url = webhooks[i].Url;
            if (!IsHttpUrl(url))
            {
                errors.Add($"{path}.webhook_configs[{i}].url: must be an absolute http(s) URL");
                continue;
            }

            if (webhooks[i].MaxAlerts is < 0)
            {
                errors.Add($"{path}.webhook_configs[{i}].max_alerts: must be 0 (no limit) or more");
            }

            integrations.Add(new Integration(doc.Name, Channels.Webhook, i, url!, webhooks[i].SendResolved ?? true, MaxAlerts: webhooks[i].MaxAlerts ?? 0));
        }

        var slacks = doc.SlackConfigs ?? [];
        for (var i = 0; i < slacks.Count; i++)
        {
            if (!IsHttpUrl(slacks[i].ApiUrl))
            {
                errors.Add($"{path}.slack_configs[{i}].api_url: must be an absolute http(s) URL");
                continue;
            }

            // Alertmanager's default: Slack channels get resolutions only when asked for.
            integrations.Add(new Integration(doc.Name, Channels.Slack, i, slacks[i].ApiUrl!, slacks[i].SendResolved ?? false, SlackChannel: slacks[i].Channel));
        }

        var pagers = doc.PagerdutyConfigs ?? [];
        for (var i = 0; i < pagers.Count; i++)
        {
            var p = pagers[i];
            var itemPath = $"{path}.pagerduty_configs[{i}]";
            var key = p.RoutingKey;
            if (!string.IsNullOrEmpty(p.RoutingKeyEnv))
            {
                if (!string.IsNullOrEmpty(key))
                {
                    errors.Add($"{itemPath}: give routing_key or routing_key_env, not both");
                }

                key = environment(p.RoutingKeyEnv);
                if (string.IsNullOrEmpty(key))
                {
                    errors.Add($"{itemPath}.routing_key_env: the environment variable {p.RoutingKeyEnv} is not set");
                    continue;
                }
            }

            if (string.IsNullOrWhiteSpace(key))
            {
                errors.Add($"{itemPath}.routing_key: required (or routing_key_env)");
                continue;
            }

            var url = p.Url ?? pagerDutyUrl;
            if (!IsHttpUrl(url))
            {
                errors.Add($"{itemPath}.url: must be an absolute http(s) URL");
                continue;
            }

            if (p.Severity is { } severity && !AlertLabels.Severities.Contains(severity))
            {
                errors.Add($"{itemPath}.severity: \"{severity}\" is not one of {string.Join(", ", AlertLabels.Severities)}");
            }

            integrations.Add(new Integration(doc.Name, Channels.PagerDuty, i, url, p.SendResolved ?? true, RoutingKey: key, Severity: p.Severity));
        }

        return new Receiver(doc.Name, integrations);
    }

    private static List<Matcher> Matchers(List<string>? texts, string path, List<string> errors)
    {
        var result = new List<Matcher>();
        for (var i = 0; i < (texts?.Count ?? 0); i++)
        {
            try
            {
                result.Add(Matcher.Parse(texts![i]));
            }
            catch (FormatException ex)
            {
                errors.Add($"{path}[{i}]: {ex.Message}");
            }
        }

        return result;
    }

    private static TimeSpan Duration(string? text, string path, TimeSpan fallback, List<string> errors, bool positive)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!PrometheusDuration.TryParse(text, out var value))
        {
            errors.Add($"{path}: \"{text}\" is not a duration such as 30s, 5m, 4h or 1h30m");
            return fallback;
        }

        if (positive && value <= TimeSpan.Zero)
        {
            errors.Add($"{path}: must be more than zero");
            return fallback;
        }

        return value;
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
