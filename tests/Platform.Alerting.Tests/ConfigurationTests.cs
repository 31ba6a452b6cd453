using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Alerting.Configuration;
using Platform.Alerting.Model;

namespace Platform.Alerting.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alerting-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("route:\n  receiver: a\n  group_wiat: 1s\nreceivers:\n  - name: a\n", "group_wiat")]
    [InlineData("route:\n  receiver: a\n  group_wait: soon\nreceivers:\n  - name: a\n", "route.group_wait: \"soon\" is not a duration")]
    [InlineData("route:\n  receiver: missing\nreceivers:\n  - name: a\n", "route.receiver: no receiver named \"missing\"")]
    [InlineData("route:\n  receiver: a\n  routes:\n    - matchers: ['kind=~\"(\"']\nreceivers:\n  - name: a\n", "route.routes[0].matchers[0]: invalid regex")]
    [InlineData("route:\n  receiver: a\nreceivers:\n  - name: a\n    pagerduty_configs:\n      - url: https://x.example/\n", "receivers[0].pagerduty_configs[0].routing_key: required")]
    [InlineData("route:\n  receiver: a\nreceivers:\n  - name: a\n  - name: a\n", "\"a\" is defined twice")]
    [InlineData("route:\n  receiver: a\n  matchers: ['kind=\"x\"']\nreceivers:\n  - name: a\n", "the root route must match every alert")]
    [InlineData("route:\n  receiver: a\nreceivers:\n  - name: a\ninhibit_rules:\n  - target_matchers: ['kind=\"x\"']\n", "inhibit_rules[0].source_matchers: at least one matcher")]
    [InlineData("", "the file is empty")]
    public void Config_refuses_a_bad_file_naming_the_problem(string yaml, string expected)
    {
        var ex = Assert.Throws<AlertingConfigException>(() => AlertingConfigLoader.Parse(yaml, "test.yml", EngineHarness.Start));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.yml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_routing_key_can_come_from_the_environment()
    {
        const string yaml = "route:\n  receiver: a\nreceivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key_env: PD_KEY\n        severity: error\n";

        var config = AlertingConfigLoader.Parse(yaml, "test", EngineHarness.Start, name => name == "PD_KEY" ? "secret-key" : null);

        var integration = Assert.Single(config.Receivers["a"].Integrations);
        Assert.Equal("secret-key", integration.RoutingKey);
        Assert.Equal("error", integration.Severity);
        Assert.True(integration.SendResolved);
    }

    [Fact]
    public void Config_reload_applies_a_good_file_and_refuses_a_bad_one_keeping_the_old()
    {
        var path = Path.Combine(_dir, "alerting.yml");
        File.WriteAllText(path, EngineHarness.Yaml(groupWait: "30s"));
        var metrics = new AlertingMetrics();
        var source = new AlertingConfigSource(
            Options.Create(new AlertingOptions { ApiKey = "0123456789abcdef", ConfigFile = path }), metrics, TimeProvider.System, NullLogger<AlertingConfigSource>.Instance);
        var first = source.Current;
        Assert.Equal(TimeSpan.FromSeconds(30), first.Route.GroupWait);

        Assert.True(source.TryReload());
        Assert.Same(first, source.Current); // unchanged file: nothing reloaded

        File.WriteAllText(path, EngineHarness.Yaml(groupWait: "1m"));
        Assert.True(source.TryReload());
        Assert.Equal(TimeSpan.FromMinutes(1), source.Current.Route.GroupWait);
        var good = source.Current;

        File.WriteAllText(path, "route:\n  receiver: nobody\n");
        Assert.False(source.TryReload());
        Assert.Same(good, source.Current);
        Assert.Equal(1, metrics.ReloadFailures);
        Assert.False(source.TryReload()); // the same bad file is not counted (or logged) again
        Assert.Equal(1, metrics.ReloadFailures);

        File.Delete(path);
        Assert.False(source.TryReload());
        Assert.Same(good, source.Current);
    }

    [Fact]
    public async Task Config_bad_file_stops_the_service_from_starting_with_the_reason()
    {
        var path = Path.Combine(_dir, "bad.yml");
        File.WriteAllText(path, "route:\n  receiver: ghost\nreceivers:\n  - name: a\n");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alerting:ApiKey"] = "0123456789abcdef",
            ["Alerting:ConsumeAnomalies"] = "false",
            ["Alerting:ConfigFile"] = path,
        });
        builder.AddAlerting();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<AlertingConfigException>(() => host.StartAsync());

        Assert.Contains("route.receiver: no receiver named \"ghost\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_missing_api_key_stops_the_service_from_starting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Alerting:ConsumeAnomalies"] = "false" });
        builder.AddAlerting();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Alerting:ApiKey is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_reload_reroutes_alerts_in_the_running_engine()
    {
        var path = Path.Combine(_dir, "alerting.yml");
        File.WriteAllText(path, EngineHarness.Yaml(groupWait: "1h"));
        var clock = new ManualClock(EngineHarness.Start);
        var metrics = new AlertingMetrics();
        var source = new AlertingConfigSource(
            Options.Create(new AlertingOptions { ApiKey = "0123456789abcdef", ConfigFile = path }), metrics, clock, NullLogger<AlertingConfigSource>.Instance);
        var publisher = new RecordingPublisher();
        var engine = new Engine.AlertEngine(new State.InMemoryAlertStateStore(clock), source, publisher, metrics, clock, NullLogger<Engine.AlertEngine>.Instance);
        await engine.ReceiveAsync([Detections.Of("demand_spike", "sku-1")]);
        clock.Advance(TimeSpan.FromMinutes(1));
        await engine.EvaluateAsync();
        Assert.Empty(publisher.Sent);

        File.WriteAllText(path, EngineHarness.Yaml(groupWait: "10s"));
        Assert.True(source.TryReload());
        await engine.EvaluateAsync();

        // The alert is older than the new group_wait, so its new group flushes at once.
        Assert.Single(publisher.Sent);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("1d", 86_400_000)]
    [InlineData("0", 0)]
    public void Duration_parses_prometheus_forms(string text, long milliseconds)
    {
        Assert.True(PrometheusDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("30m1h")]
    [InlineData("1.5h")]
    [InlineData("-5m")]
    [InlineData("5 m")]
    public void Duration_refuses_other_forms(string text) => Assert.False(PrometheusDuration.TryParse(text, out _));

    [Theory]
    [InlineData("severity=\"critical\"", "critical", true)]
    [InlineData("severity=critical", "critical", true)]
    [InlineData("severity!=\"critical\"", "critical", false)]
    [InlineData("severity=~\"warn\"", "warning", false)]
    [InlineData("severity=~\"warn.*\"", "warning", true)]
    [InlineData("severity!~\"crit.*|err.*\"", "warning", true)]
    [InlineData("sku=~\"a\\.b\"", "a.b", true)]
    [InlineData("sku=~\"a\\.b\"", "axb", false)]
    public void Matcher_parses_the_four_operators_with_anchored_regexes(string text, string value, bool matches)
    {
        var matcher = Matcher.Parse(text);
        var labels = new Dictionary<string, string> { [matcher.Name] = value };

        Assert.Equal(matches, matcher.Matches(labels));
    }

    [Fact]
    public void Matcher_treats_a_missing_label_as_empty()
    {
        Assert.True(Matcher.Parse("team=\"\"").Matches(new Dictionary<string, string>()));
        Assert.True(Matcher.Parse("team!=\"ops\"").Matches(new Dictionary<string, string>()));
        Assert.Throws<FormatException>(() => Matcher.Parse("team"));
        Assert.Throws<FormatException>(() => Matcher.Parse("1team=\"x\""));
    }

    [Fact]
    public void Templates_are_valid_configurations()
    {
        var demo = AlertingConfigLoader.Parse(AlertingConfigTemplates.PagerDutyWebhook("http://127.0.0.1:8080/hook?x=\"1\""), "demo", EngineHarness.Start);
        var integration = Assert.Single(demo.Receivers["webhook"].Integrations);
        Assert.Equal(Channels.PagerDuty, integration.Channel);
        Assert.Equal("http://127.0.0.1:8080/hook?x=\"1\"", integration.Url);
        Assert.Single(demo.InhibitRules);

        var fallback = AlertingConfigLoader.Parse(AlertingConfigTemplates.Default, "default", EngineHarness.Start);
        Assert.Empty(fallback.Receivers["none"].Integrations);
    }
}
