using Platform.Alerting.Model;
using Platform.Contracts;

namespace Platform.Alerting.Tests;

public sealed class SilenceTests
{
    [Fact]
    public async Task Silence_with_equality_matcher_mutes_matching_alerts_only()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s"));
        await h.Engine.CreateSilenceAsync(NewSilence(h, TimeSpan.FromHours(1), new SilenceMatcher { Name = "sku", Value = "sku-1" }));
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandSpike, "sku-1"), Detections.Of(AnomalyKinds.DemandSpike, "sku-2")]);

        await EngineTimingTests.Tick(h, 30);

        var alert = Assert.Single(Assert.Single(h.Publisher.Take()).Notification.Alerts);
        Assert.Equal("sku-2", alert.Labels["sku"]);
        var silenced = await h.Store.GetAlertAsync(AlertFingerprint.For(AnomalyKinds.DemandSpike, "sku-1", "eu"));
        Assert.Equal(AlertState.Silenced, silenced!.State);
        Assert.Single(silenced.SilencedBy);
    }

    [Fact]
    public async Task Silence_with_regex_matcher_is_anchored_and_negation_inverts_it()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "0s"));
        // Mutes demand_spike and demand_drop but not stockout_risk; "demand" alone would not match (anchored).
        await h.Engine.CreateSilenceAsync(NewSilence(h, TimeSpan.FromHours(1),
            new SilenceMatcher { Name = "kind", Value = "demand_(spike|drop)", IsRegex = true },
            new SilenceMatcher { Name = "region", Value = "u.", IsRegex = true, IsEqual = false }));
        await h.Engine.ReceiveAsync(
        [
            Detections.Of(AnomalyKinds.DemandSpike, "a", "eu"),
            Detections.Of(AnomalyKinds.DemandDrop, "b", "eu"),
            Detections.Of(AnomalyKinds.DemandDrop, "c", "us"),
            Detections.Of(AnomalyKinds.StockoutRisk, "d", "eu"),
        ]);

        var states = (await h.Store.ListAlertsAsync()).ToDictionary(a => a.Labels["sku"], a => a.State);

        Assert.Equal(AlertState.Silenced, states["a"]);
        Assert.Equal(AlertState.Silenced, states["b"]);
        Assert.Equal(AlertState.Firing, states["c"]);
        Assert.Equal(AlertState.Firing, states["d"]);
    }

    [Fact]
    public async Task Silence_expiry_unmutes_and_the_alert_is_notified_at_the_next_flush()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "30s", groupInterval: "1m", resolveTimeout: "1h"));
        await h.Engine.CreateSilenceAsync(NewSilence(h, TimeSpan.FromMinutes(2), new SilenceMatcher { Name = "kind", Value = "demand_spike" }));
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandSpike, "sku-1")]);
        await EngineTimingTests.Tick(h, 119);
        Assert.Empty(h.Publisher.Sent);

        await EngineTimingTests.Tick(h, 31); // silence ended at 2:00; group flushes at 2:30

        Assert.Single(h.Publisher.Take());
        Assert.Equal("expired", (await h.Store.ListSilencesAsync()).Single().StatusAt(h.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task Silence_expired_early_through_the_engine_unmutes_at_once()
    {
        var h = new EngineHarness(EngineHarness.Yaml(groupWait: "0s", resolveTimeout: "1h"));
        var silence = NewSilence(h, TimeSpan.FromDays(1), new SilenceMatcher { Name = "sku", Value = "sku-1" });
        await h.Engine.CreateSilenceAsync(silence);
        await h.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.DemandSpike, "sku-1")]);
        await EngineTimingTests.Tick(h, 10);
        Assert.Empty(h.Publisher.Sent);

        var expired = await h.Engine.ExpireSilenceAsync(silence.Id);

        Assert.Equal(h.Clock.GetUtcNow(), expired!.EndsAt);
        Assert.Equal(AlertState.Firing, (await h.Store.ListAlertsAsync()).Single().State);
        await EngineTimingTests.Tick(h, 300);
        Assert.Single(h.Publisher.Take());
        Assert.Null(await h.Engine.ExpireSilenceAsync("no-such-silence"));
    }

    private static Silence NewSilence(EngineHarness h, TimeSpan duration, params SilenceMatcher[] matchers) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Matchers = [.. matchers],
        StartsAt = h.Clock.GetUtcNow(),
        EndsAt = h.Clock.GetUtcNow() + duration,
        CreatedBy = "alice",
        Comment = "maintenance",
        CreatedAt = h.Clock.GetUtcNow(),
    };
}
