using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Alerting.Configuration;
using Platform.Alerting.Engine;
using Platform.Alerting.State;

namespace Platform.Alerting.Tests;

/// <summary>An engine on a manual clock, an in-memory (or given) store and a recording publisher, configured by YAML.</summary>
public sealed class EngineHarness
{
    public static readonly DateTimeOffset Start = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public EngineHarness(string yaml, IAlertStateStore? store = null, ManualClock? clock = null)
    {
        Clock = clock ?? new ManualClock(Start);
        Store = store ?? new InMemoryAlertStateStore(Clock);
        Metrics = new AlertingMetrics();
        Config = new AlertingConfigSource(Options.Create(new AlertingOptions { ApiKey = "unused-in-engine-tests", ConfigYaml = yaml }), Metrics, Clock, NullLogger<AlertingConfigSource>.Instance);
        Engine = new AlertEngine(Store, Config, Publisher, Metrics, Clock, NullLogger<AlertEngine>.Instance);
    }

    public ManualClock Clock { get; }

    public IAlertStateStore Store { get; }

    public AlertingMetrics Metrics { get; }

    public AlertingConfigSource Config { get; }

    public RecordingPublisher Publisher { get; } = new();

    public AlertEngine Engine { get; }

    /// <summary>Moves the clock and runs the evaluation due at the new time.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Engine.EvaluateAsync();
    }

    /// <summary>A one-receiver configuration with the given timings, grouping by kind and region.</summary>
    public static string Yaml(string groupWait = "30s", string groupInterval = "5m", string repeatInterval = "4h", string resolveTimeout = "5m", string extra = "") => $"""
        global:
          resolve_timeout: {resolveTimeout}
        route:
          receiver: team
          group_by: [kind, region]
          group_wait: {groupWait}
          group_interval: {groupInterval}
          repeat_interval: {repeatInterval}
        receivers:
          - name: team
            webhook_configs:
              - url: http://127.0.0.1:9/hook
        {extra}
        """;
}
