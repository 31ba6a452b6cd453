using Platform.Alerting.Configuration;
using Platform.Contracts;

namespace Platform.Alerting.Tests;

public sealed class RoutingTests
{
    private const string Tree = """
        route:
          receiver: default
          group_by: [kind]
          group_wait: 10s
          routes:
            - matchers: ['severity="critical"']
              receiver: pager
              group_wait: 0s
              continue: true
            - matchers: ['severity=~"critical|warning"']
              receiver: slack
              group_by: ['...']
        receivers:
          - name: default
            webhook_configs:
              - url: http://127.0.0.1:9/default
          - name: pager
            pagerduty_configs:
              - routing_key: key-1
          - name: slack
            slack_configs:
              - api_url: http://127.0.0.1:9/slack
        """;

    [Fact]
    public async Task Routing_by_severity_with_continue_reaches_both_receivers_and_others_fall_to_the_default()
    {
        var h = new EngineHarness(Tree);
        await h.Engine.ReceiveAsync(
        [
            Detections.Of(AnomalyKinds.StockoutRisk, "sku-1", severity: "critical"),
            Detections.Of(AnomalyKinds.DemandSpike, "sku-2", severity: "warning"),
            Detections.Of(AnomalyKinds.DemandDrop, "sku-3", severity: "info"),
        ]);

        await EngineTimingTests.Tick(h, 1);
        var immediate = h.Publisher.Take();
        await EngineTimingTests.Tick(h, 10);
        var later = h.Publisher.Take();

        // The pager route waits 0 s; the others inherit or set 10 s.
        var pager = Assert.Single(immediate);
        Assert.Equal(Channels.PagerDuty, pager.Integration.Channel);
        Assert.Equal("sku-1", Assert.Single(pager.Notification.Alerts).Labels["sku"]);
        Assert.Equal("https://events.pagerduty.com/v2/enqueue", pager.Integration.Url);
        var receivers = later.Select(p => (p.Integration.Receiver, Sku: Assert.Single(p.Notification.Alerts).Labels["sku"])).Order().ToList();
        Assert.Equal([("default", "sku-3"), ("slack", "sku-1"), ("slack", "sku-2")], receivers);
    }

    [Fact]
    public void Routing_children_inherit_what_they_do_not_set()
    {
        var config = AlertingConfigLoader.Parse(Tree, "test", EngineHarness.Start);

        var pager = config.Route.Routes[0];
        var slack = config.Route.Routes[1];

        Assert.Equal(["kind"], pager.GroupBy);
        Assert.Equal(TimeSpan.Zero, pager.GroupWait);
        Assert.Equal(AlertingConfigLoader.DefaultRepeatInterval, pager.RepeatInterval);
        Assert.True(slack.GroupByAll);
        Assert.Equal(TimeSpan.FromSeconds(10), slack.GroupWait);
        Assert.False(slack.Continue);
    }
}
