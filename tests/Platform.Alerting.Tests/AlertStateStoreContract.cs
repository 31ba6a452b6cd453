using Platform.Alerting.Model;
using Platform.Alerting.State;

namespace Platform.Alerting.Tests;

/// <summary>What every <see cref="IAlertStateStore"/> must do; run against memory and a real Redis.</summary>
public abstract class AlertStateStoreContract
{
    protected abstract IAlertStateStore Store { get; }

    [Fact]
    public async Task Store_round_trips_an_alert_with_every_field()
    {
        var alert = Alert("f1", AlertState.Acknowledged);
        alert.AcknowledgedBy = "alice";
        alert.AcknowledgedAt = EngineHarness.Start.AddMinutes(1);
        alert.SilencedBy = ["s1"];
        alert.InhibitedBy = ["f9"];
        alert.RecentDetectionIds = ["d1", "d2"];

        await Store.SaveAlertsAsync([(alert, null)]);
        var read = await Store.GetAlertAsync(alert.Fingerprint);

        Assert.NotNull(read);
        Assert.Equal(AlertState.Acknowledged, read.State);
        Assert.Equal(alert.Labels, read.Labels);
        Assert.Equal(alert.Annotations, read.Annotations);
        Assert.Equal(alert.StartsAt, read.StartsAt);
        Assert.Equal(alert.LastSeenAt, read.LastSeenAt);
        Assert.Equal(7, read.Count);
        Assert.Equal("alice", read.AcknowledgedBy);
        Assert.Equal(alert.AcknowledgedAt, read.AcknowledgedAt);
        Assert.Equal(["s1"], read.SilencedBy);
        Assert.Equal(["f9"], read.InhibitedBy);
        Assert.Equal(["d1", "d2"], read.RecentDetectionIds);
    }

    [Fact]
    public async Task Store_lists_saved_alerts_and_a_save_replaces()
    {
        var a = Alert("a", AlertState.Firing);
        var b = Alert("b", AlertState.Silenced);
        await Store.SaveAlertsAsync([(a, null), (b, null)]);
        a.State = AlertState.Resolved;
        a.ResolvedBy = "timeout";
        await Store.SaveAlertsAsync([(a, TimeSpan.FromHours(1))]);

        var listed = (await Store.ListAlertsAsync()).Where(x => x.Fingerprint == a.Fingerprint || x.Fingerprint == b.Fingerprint).ToList();

        Assert.Equal(2, listed.Count);
        Assert.Equal(AlertState.Resolved, listed.Single(x => x.Fingerprint == a.Fingerprint).State);
        Assert.Equal("timeout", listed.Single(x => x.Fingerprint == a.Fingerprint).ResolvedBy);
        Assert.Null(await Store.GetAlertAsync(Unique("absent")));
    }

    [Fact]
    public async Task Store_round_trips_silences_and_notification_log()
    {
        var silence = new Silence
        {
            Id = Unique("s"),
            Matchers = [new SilenceMatcher { Name = "sku", Value = "a.*", IsRegex = true, IsEqual = false }],
            StartsAt = EngineHarness.Start,
            EndsAt = EngineHarness.Start.AddHours(2),
            CreatedBy = "bob",
            Comment = "restock",
            CreatedAt = EngineHarness.Start,
        };
        var entry = new NotificationLogEntry { Key = Unique("/:{kind=\"x\"}|team/webhook/0"), Firing = ["a", "b"], Resolved = ["c"], SentAt = EngineHarness.Start };

        await Store.SaveSilenceAsync(silence, TimeSpan.FromDays(1));
        await Store.SaveNotificationLogAsync(entry, TimeSpan.FromDays(1));

        var read = Assert.Single(await Store.ListSilencesAsync(), s => s.Id == silence.Id);
        var matcher = Assert.Single(read.Matchers);
        Assert.True(matcher.IsRegex);
        Assert.False(matcher.IsEqual);
        Assert.Equal("a.*", matcher.Value);
        Assert.Equal(silence.EndsAt, read.EndsAt);
        Assert.Equal("restock", (await Store.GetSilenceAsync(silence.Id))!.Comment);
        var log = await Store.GetNotificationLogAsync(entry.Key);
        Assert.Equal(["a", "b"], log!.Firing);
        Assert.Equal(["c"], log.Resolved);
        Assert.Equal(EngineHarness.Start, log.SentAt);
        Assert.Null(await Store.GetNotificationLogAsync(Unique("nothing")));
    }

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static AlertRecord Alert(string name, AlertState state) => new()
    {
        Fingerprint = Unique(name),
        Labels = new() { ["kind"] = "demand_spike", ["sku"] = name, ["region"] = "eu", ["severity"] = "warning" },
        Annotations = new() { ["summary"] = $"spike on {name}" },
        State = state,
        StartsAt = EngineHarness.Start,
        LastSeenAt = EngineHarness.Start.AddMinutes(3),
        Count = 7,
        UpdatedAt = EngineHarness.Start.AddMinutes(3),
    };
}

public sealed class InMemoryAlertStateStoreTests : AlertStateStoreContract
{
    private readonly ManualClock _clock = new(EngineHarness.Start);
    private readonly InMemoryAlertStateStore _store;

    public InMemoryAlertStateStoreTests() => _store = new InMemoryAlertStateStore(_clock);

    protected override IAlertStateStore Store => _store;

    [Fact]
    public async Task Store_in_memory_forgets_entries_after_their_time_to_live()
    {
        var silence = new Silence { Id = "s", Matchers = [], CreatedBy = "a", Comment = "c" };
        await _store.SaveSilenceAsync(silence, TimeSpan.FromMinutes(10));
        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Single(await _store.ListSilencesAsync());

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(await _store.ListSilencesAsync());
        Assert.Null(await _store.GetSilenceAsync("s"));
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisAlertStateStoreTests(Platform.Testing.RedisFixture redis) : AlertStateStoreContract
{
    private readonly RedisAlertStateStore _store = new(redis.Connection, $"test-{Guid.NewGuid():N}:");

    protected override IAlertStateStore Store => _store;
}
