using Platform.Alerting.Model;
using Platform.Contracts;

namespace Platform.Alerting.Tests;

/// <summary>group_wait, group_interval, repeat_interval and resolution, as Alertmanager defines them, on a manual clock.</summary>
public sealed class EngineTimingTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task GroupWait_batches_alerts_that_arrive_within_it_into_one_notification()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s"));
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandSpike, "sku-1")]);
        await Tick(h, 10);
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandSpike, "sku-2")]);
        await Tick(h, 19);
        Assert.Empty(h.Publisher.Sent);

        await Tick(h, 1);

        var sent = Assert.Single(h.Publisher.Take());
        Assert.Equal("firing", sent.Notification.Status);
        Assert.Equal(["sku-1", "sku-2"], sent.Notification.Alerts.Select(a => a.Labels["sku"]).Order());
        Assert.Equal("demand_spike", sent.Notification.GroupLabels["kind"]);
        Assert.Equal("eu", sent.Notification.CommonLabels["region"]);
    }

    [Fact]
    public async Task GroupInterval_holds_a_new_alert_until_the_groups_next_interval()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s", groupInterval: "5m", resolveTimeout: "1h"));
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandSpike, "sku-1")]);
        await Tick(h, 30);
        Assert.Single(h.Publisher.Take());

        await Tick(h, 30);
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandSpike, "sku-2")]);
        await Tick(h, 269);
        Assert.Empty(h.Publisher.Sent);

        await Tick(h, 1); // 5 minutes after the first notification

        var sent = Assert.Single(h.Publisher.Take());
        Assert.Equal(2, sent.Notification.Alerts.Count);
    }

    [Fact]
    public async Task RepeatInterval_renotifies_an_unchanged_group_only_once_it_has_passed()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s", groupInterval: "5m", repeatInterval: "1h", resolveTimeout: "24h"));
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.StockoutRisk, "sku-1")]);
        await Tick(h, 30);
        Assert.Single(h.Publisher.Take());

        // Re-detections of the same alert change nothing the receiver does not know: no notification within the hour.
        for (var minute = 0; minute < 59; minute++)
        {
            await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.StockoutRisk, "sku-1")]);
            await Tick(h, 60);
        }

        Assert.Empty(h.Publisher.Sent);
        // The group flushes every 5 minutes from 0:30; the first flush at least an hour after the notification is 1:00:30.
        await Tick(h, 60);

        var repeat = Assert.Single(h.Publisher.Take());
        var alert = Assert.Single(repeat.Notification.Alerts);
        Assert.Equal(60, alert.Count);
    }

    [Fact]
    public async Task Resolution_after_resolve_timeout_sends_a_resolved_notification_and_closes_the_group()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s", groupInterval: "1m", resolveTimeout: "5m"));
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandDrop, "sku-1")]);
        await Tick(h, 30);
        Assert.Single(h.Publisher.Take());

        await Tick(h, 269); // 4:59: not yet
        Assert.Empty(h.Publisher.Sent);
        Assert.Equal(AlertState.Firing, (await h.Store.ListAlertsAsync()).Single().State);

        await Tick(h, 31); // 5:30: resolved at 5:00, told at the group's next flush

        var resolved = Assert.Single(h.Publisher.Take());
        Assert.Equal("resolved", resolved.Notification.Status);
        var alert = Assert.Single(resolved.Notification.Alerts);
        Assert.Equal(EngineHarness.Start + TimeSpan.FromMinutes(5), alert.EndsAt);
        Assert.Equal(0, h.Engine.GroupCount);
        var stored = (await h.Store.ListAlertsAsync()).Single();
        Assert.Equal(AlertState.Resolved, stored.State);
        Assert.Equal("timeout", stored.ResolvedBy);

        await Tick(h, 600);
        Assert.Empty(h.Publisher.Sent);
    }

    [Fact]
    public async Task Alert_that_fires_and_resolves_before_any_notification_is_never_sent()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "10m", groupInterval: "1m", resolveTimeout: "2m"));
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandDrop, "sku-1")]);

        await Tick(h, 900);

        Assert.Empty(h.Publisher.Sent);
    }

    [Fact]
    public async Task Detections_of_one_fingerprint_merge_into_one_alert_and_a_redelivered_one_is_not_counted()
    {
        var h = new EngineHarness(EngineHarness.Yaml());
        var first = Detections.Of(AnomalyKinds.DemandSpike, "sku-1", "eu", id: "a");
        await h.Engine.ReceiveAsync([first, Detections.Of(AnomalyKinds.DemandSpike, "sku-1", "eu", id: "b")]);
        await h.Engine.ReceiveAsync([first]); // the consumer's at-least-once redelivery
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandSpike, "sku-1", "us", id: "c")]);

        var alerts = await h.Store.ListAlertsAsync();

        Assert.Equal(2, alerts.Count);
        var eu = alerts.Single(a => a.Labels["region"] == "eu");
        Assert.Equal(2, eu.Count);
        Assert.Equal(AlertFingerprint.For("demand_spike", "sku-1", "eu"), eu.Fingerprint);
        Assert.Equal(1, alerts.Single(a => a.Labels["region"] == "us").Count);
    }

    [Fact]
    public async Task Acknowledged_alert_is_not_repeated_but_a_new_alert_in_its_group_is_notified()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s", groupInterval: "5m", repeatInterval: "10m", resolveTimeout: "24h"));
        var acked = Detections.Of(AnomalyKinds.StockoutRisk, "sku-1");
        await h.Engine.ReceiveAsync([acked]);
        await Tick(h, 30);
        h.Publisher.Take();

        var result = await h.Engine.AcknowledgeAsync(AlertFingerprint.For(acked.Kind, acked.Sku, acked.Region), "alice", "on it");
        Assert.Equal(AlertState.Acknowledged, result.Alert!.State);
        await Tick(h, 1800);
        Assert.Empty(h.Publisher.Sent);

        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.StockoutRisk, "sku-2")]);
        await Tick(h, 300);

        var sent = Assert.Single(h.Publisher.Take());
        Assert.Equal(2, sent.Notification.Alerts.Count);
        Assert.Equal("alice", sent.Notification.Alerts.Single(a => a.Labels["sku"] == "sku-1").AcknowledgedBy);
    }

    [Fact]
    public async Task Failed_publish_is_retried_at_the_next_flush_and_not_logged_as_sent()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s", groupInterval: "1m", resolveTimeout: "1h"));
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandSpike, "sku-1")]);
        h.Publisher.FailNext = new InvalidOperationException("broker unreachable");
        await Tick(h, 30);
        Assert.Empty(h.Publisher.Sent);

        await Tick(h, 60);

        Assert.Single(h.Publisher.Take());
        Assert.Equal(1, h.Metrics.FailedAttempts);
    }

    /// <summary>Advances the clock one second at a time, evaluating each second like the service's timer.</summary>
    internal static async Task Tick(EngineHarness h, int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            await h.AdvanceAsync(Second);
        }
    }
}
