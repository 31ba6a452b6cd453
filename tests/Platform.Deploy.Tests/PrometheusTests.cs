using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Platform.Deploy.Tests;

public sealed class PrometheusTests
{
    [Fact]
    public async Task PrometheusNaming_MatchesTheExporterForEveryKindAndUnitThePlatformUses()
    {
        // One probe instrument per (kind, unit) the platform's instruments use, exported by the real exporter.
        var meterName = $"Deploy.Tests.Naming.{Guid.NewGuid():N}";
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(meterName).AddPrometheusExporter());
        await using var app = builder.Build();
        app.MapPrometheusScrapingEndpoint();
        await app.StartAsync();

        // Measurements count only once the provider listens (after the start).
        using var meter = new Meter(meterName);
        var expected = new List<string>();
        var combinations = PlatformInstruments.All.Select(i => (i.Kind, i.Unit)).Distinct().ToList();
        for (var n = 0; n < combinations.Count; n++)
        {
            var (kind, unit) = combinations[n];
            var name = $"deploy.probe{n}.value";
            switch (kind)
            {
                case PrometheusNames.Counter: meter.CreateCounter<long>(name, unit).Add(1); break;
                case PrometheusNames.Histogram: meter.CreateHistogram<double>(name, unit).Record(1); break;
                default: meter.CreateObservableGauge(name, () => 1L, unit); break;
            }

            expected.AddRange(PrometheusNames.Series(name, unit, kind));
        }

        var scraped = await app.GetTestClient().GetStringAsync("/metrics");

        var names = scraped.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).ToHashSet();
        var missing = expected.Where(e => !names.Contains(e)).ToList();
        Assert.True(missing.Count == 0, $"The exporter names differ from PrometheusNames for {string.Join(", ", missing)}; it exported: {string.Join(", ", names.Where(n => n.StartsWith("deploy_", StringComparison.Ordinal)))}");
    }

    [Fact]
    public void PlatformInstruments_AreFoundInEveryService()
    {
        var prefixes = PlatformInstruments.All.Select(i => string.Join('.', i.Name.Split('.').Take(2))).ToHashSet();
        foreach (var expected in new[] { "platform.kafka", "platform.ingestion", "platform.feature_store", "platform.inference", "platform.alerting", "platform.online_store" })
        {
            Assert.Contains(expected, prefixes);
        }
    }

    [Fact]
    public void PrometheusRules_ReferenceOnlyMetricsTheCodeDefines()
    {
        var rules = RuleExpressions();
        Assert.NotEmpty(rules);
        var unknown = rules.SelectMany(r => PrometheusNames.UsedIn(r.Expr).Where(m => !PrometheusNames.Platform.Contains(m)).Select(m => $"{r.Alert}: {m}")).ToList();
        Assert.True(unknown.Count == 0, $"Rules name metrics the services do not export: {string.Join("; ", unknown)}");
    }

    [Fact]
    public void PrometheusRules_CoverLagDeadLettersInferenceErrorsModelLoadsAndDelivery()
    {
        var used = RuleExpressions().SelectMany(r => PrometheusNames.UsedIn(r.Expr)).ToHashSet();
        foreach (var metric in new[]
                 {
                     "platform_kafka_consumer_lag", "platform_kafka_dead_lettered_total", "platform_inference_row_failures_total",
                     "platform_inference_model_loads_total", "platform_alerting_notifications_failed_total",
                 })
        {
            Assert.Contains(metric, used);
        }

        Assert.All(RuleExpressions(), r => Assert.Contains(r.Severity, new[] { "warning", "critical" }));
    }

    [Fact]
    public void GrafanaDashboards_QueryOnlyMetricsTheCodeDefines()
    {
        var dashboards = Directory.GetFiles(RepositoryRoot.File("deploy/grafana/dashboards"), "*.json");
        Assert.NotEmpty(dashboards);
        var unknown = new List<string>();
        var queried = new HashSet<string>();
        foreach (var file in dashboards)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var expr in Expressions(json.RootElement))
            {
                foreach (var metric in PrometheusNames.UsedIn(expr))
                {
                    queried.Add(metric);
                    if (!PrometheusNames.Platform.Contains(metric))
                    {
                        unknown.Add($"{Path.GetFileName(file)}: {metric}");
                    }
                }
            }
        }

        Assert.True(unknown.Count == 0, $"Dashboards query metrics the services do not export: {string.Join("; ", unknown)}");
        // What an operator reads there: throughput, lag, batch sizes, latencies, alerts by severity.
        Assert.Contains("platform_kafka_consumer_lag", queried);
        Assert.Contains("platform_inference_batch_size_bucket", queried);
        Assert.Contains("platform_alerting_alerts_received_total", queried);
        Assert.Contains("platform_ingestion_orders_accepted_total", queried);
        Assert.Contains(queried, m => m.EndsWith("_milliseconds_bucket", StringComparison.Ordinal));
    }

    [Fact]
    public void PrometheusConfig_ScrapesEveryServiceAndLoadsTheRules()
    {
        var config = Yaml.Map(File.ReadAllText(RepositoryRoot.File("deploy/prometheus/prometheus.yml")));
        var jobs = Yaml.AsList(config["scrape_configs"]).Select(j => Yaml.Text(j, "job_name")).ToHashSet();
        foreach (var service in ConfigurationKeys.ByService.Keys)
        {
            Assert.Contains(service, jobs);
        }

        Assert.Contains("/etc/prometheus/rules/*.yml", Yaml.AsList(config["rule_files"]).Select(f => f?.ToString()));
    }

    private sealed record Rule(string Alert, string Expr, string? Severity);

    private static List<Rule> RuleExpressions()
    {
        var rules = new List<Rule>();
        foreach (var file in Directory.GetFiles(RepositoryRoot.File("deploy/prometheus/rules"), "*.yml"))
        {
            foreach (var group in Yaml.AsList(Yaml.Map(File.ReadAllText(file))["groups"]))
            {
                rules.AddRange(Yaml.AsList(Yaml.At(group, "rules")).Select(r => new Rule(Yaml.Text(r, "alert") ?? "?", Yaml.Text(r, "expr") ?? "", Yaml.Text(r, "labels.severity"))));
            }
        }

        return rules;
    }

    private static IEnumerable<string> Expressions(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }
                    else
                    {
                        foreach (var inner in Expressions(property.Value))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var inner in Expressions(item))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
