using Platform.Alerting.Model;
using Platform.Alerting.State;
using Platform.Contracts;
using Platform.Testing;

namespace Platform.Alerting.Tests;

/// <summary>A new engine on the same Redis (a restart, or a replacement pod) sees everything and does not re-notify.</summary>
[Collection(RedisCollection.Name)]
public sealed class RestartTests(RedisFixture redis)
{
    [Fact]
    public async Task Restart_new_engine_on_the_same_redis_keeps_alerts_and_does_not_renotify_before_repeat_interval()
    {
        var prefix = $"restart-{Guid.NewGuid():N}:";
        var yaml = EngineHarness.Yaml(groupWait: "30s", groupInterval: "5m", repeatInterval: "1h", resolveTimeout: "24h");
        var clock = new ManualClock(EngineHarness.Start);
        var before = new EngineHarness(yaml, new RedisAlertStateStore(redis.Connection, prefix), clock);
        await before.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.StockoutRisk, "sku-1"), Detections.Of(AnomalyKinds.DemandSpike, "sku-2")]);
        await EngineTimingTests.Tick(before, 30);
        Assert.Equal(2, before.Publisher.Take().Count);
        var silenced = Detections.Of(AnomalyKinds.DemandDrop, "sku-3");
        await before.Engine.CreateSilenceAsync(new Silence
        {
            Id = "s-1",
            Matchers = [new SilenceMatcher { Name = "sku", Value = "sku-3" }],
            StartsAt = clock.GetUtcNow(),
            EndsAt = clock.GetUtcNow().AddDays(1),
            CreatedBy = "alice",
            Comment = "known",
            CreatedAt = clock.GetUtcNow(),
        });
        await before.Engine.ReceiveAsync([silenced]);

        // The process dies; a new one starts ten minutes later on the same Redis.
        clock.Advance(TimeSpan.FromMinutes(10));
        var after = new EngineHarness(yaml, new RedisAlertStateStore(redis.Connection, prefix), clock);
        await EngineTimingTests.Tick(after, 60);

        Assert.Empty(after.Publisher.Sent);
        var alerts = await after.Store.ListAlertsAsync();
        Assert.Equal(3, alerts.Count);
        Assert.Equal(AlertState.Silenced, alerts.Single(a => a.Labels["sku"] == "sku-3").State);
        Assert.All(alerts.Where(a => a.Labels["sku"] != "sku-3"), a => Assert.Equal(AlertState.Firing, a.State));

        // The repeat is due one hour after the first notification (0:30), at the restarted groups' first flush after it.
        for (var minute = 0; minute < 48; minute++)
        {
            await after.Engine.ReceiveAsync([Detections.Of(AnomalyKinds.StockoutRisk, "sku-1"), Detections.Of(AnomalyKinds.DemandSpike, "sku-2")]);
            await EngineTimingTests.Tick(after, 60);
        }

        Assert.Empty(after.Publisher.Sent);
        await EngineTimingTests.Tick(after, 300);
        Assert.Equal(2, after.Publisher.Take().Count);
    }
}
