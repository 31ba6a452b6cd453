using Platform.Alerting.Model;
using Platform.Contracts;

namespace Platform.Alerting.Tests;

public sealed class InhibitionTests
{
    private const string StockoutInhibitsDrop = """
        inhibit_rules:
          - source_matchers: ['kind="stockout_risk"']
            target_matchers: ['kind="demand_drop"']
            equal: [sku]
        """;

    [Fact]
    public async Task Inhibition_stockout_risk_mutes_the_demand_drop_of_the_same_sku_only()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s", extra: StockoutInhibitsDrop));
        await h.Engine.ReceiveAsync(
        [
            Detections.Of(AnomalyKinds.StockoutRisk, "sku-1", "eu"),
            Detections.Of(AnomalyKinds.DemandDrop, "sku-1", "us"),
            Detections.Of(AnomalyKinds.DemandDrop, "sku-2", "us"),
        ]);

        await EngineTimingTests.Tick(h, 30);

        var notified = h.Publisher.Take().SelectMany(p => p.Notification.Alerts).Select(a => (a.Labels["kind"], a.Labels["sku"])).Order().ToList();
        Assert.Equal([("demand_drop", "sku-2"), ("stockout_risk", "sku-1")], notified);
        var muted = await h.Store.GetAlertAsync(AlertFingerprint.For(AnomalyKinds.DemandDrop, "sku-1", "us"));
        Assert.Equal(AlertState.Inhibited, muted!.State);
        Assert.Equal([AlertFingerprint.For(AnomalyKinds.StockoutRisk, "sku-1", "eu")], muted.InhibitedBy);
    }

    [Fact]
    public async Task Inhibition_ends_when_the_source_resolves_and_the_target_is_then_notified()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s", groupInterval: "1m", resolveTimeout: "3m", extra: StockoutInhibitsDrop));
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.StockoutRisk, "sku-1"), Detections.Of(AnomalyKinds.DemandDrop, "sku-1")]);
        await EngineTimingTests.Tick(h, 30);
        Assert.Equal(["stockout_risk"], h.Publisher.Take().SelectMany(p => p.Notification.Alerts).Select(a => a.Labels["kind"]));

        // The demand drop keeps being detected; the stockout is not, and resolves after 3 minutes.
        for (var i = 0; i < 5; i++)
        {
            await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandDrop, "sku-1")]);
            await EngineTimingTests.Tick(h, 60);
        }

        var sent = h.Publisher.Take();
        var drop = Assert.Single(sent, p => p.Notification.GroupLabels["kind"] == "demand_drop");
        Assert.Equal("firing", drop.Notification.Status);
        Assert.Contains(sent, p => p.Notification.GroupLabels["kind"] == "stockout_risk" && p.Notification.Status == "resolved");
        Assert.Equal(AlertState.Firing, (await h.Store.GetAlertAsync(AlertFingerprint.For(AnomalyKinds.DemandDrop, "sku-1", "eu")))!.State);
    }

    [Fact]
    public async Task Inhibition_an_alert_matching_source_and_target_does_not_inhibit_itself()
    {
        var rule = """
            inhibit_rules:
              - source_matchers: ['severity="critical"']
                target_matchers: ['sku="sku-1"']
                equal: [sku]
            """;
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "0s", extra: rule));

        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.StockoutRisk, "sku-1", severity: "critical")]);
        await EngineTimingTests.Tick(h, 1);

        Assert.Single(h.Publisher.Take());
    }
}
