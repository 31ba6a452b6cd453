using System.Text.Json;
using Platform.Alerting.Configuration;
using Platform.Alerting.Delivery;
using Platform.Alerting.Model;

namespace Platform.Alerting.Tests;

/// <summary>Delivery through MassTransit to a real HTTP receiver; the same tests on the in-memory transport and on RabbitMQ.</summary>
public abstract class DeliveryContract<THost>(THost host)
    where THost : DeliveryHost
{
    private static readonly DateTimeOffset CreatedAt = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Delivery_pagerduty_trigger_has_the_events_api_v2_shape()
    {
        var path = host.Receiver.NewEndpoint();
        var notification = Notification(Alert("sku-1", "firing"), Alert("sku-2", "resolved"));

        await host.Publisher.PublishAsync(PagerDuty(path), notification, null, default);

        var received = await host.Receiver.WaitForAsync(path, 2);
        using var trigger = JsonDocument.Parse(received.Single(r => r.Body.Contains("\"trigger\"", StringComparison.Ordinal)).Body);
        var root = trigger.RootElement;
        Assert.Equal(["routing_key", "event_action", "dedup_key", "payload", "client", "client_url", "links"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("routing-key-1", root.GetProperty("routing_key").GetString());
        Assert.Equal("trigger", root.GetProperty("event_action").GetString());
        Assert.Equal($"platform-alert-{AlertFingerprint.For("stockout_risk", "sku-1", "eu")}", root.GetProperty("dedup_key").GetString());
        var payload = root.GetProperty("payload");
        Assert.Equal(["summary", "source", "severity", "timestamp", "component", "group", "class", "custom_details"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal("stockout risk on sku-1", payload.GetProperty("summary").GetString());
        Assert.Equal("platform-alerting", payload.GetProperty("source").GetString());
        Assert.Equal("critical", payload.GetProperty("severity").GetString());
        Assert.Equal(CreatedAt.AddMinutes(-1), payload.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("sku-1", payload.GetProperty("component").GetString());
        Assert.Equal("eu", payload.GetProperty("group").GetString());
        Assert.Equal("stockout_risk", payload.GetProperty("class").GetString());
        Assert.Equal("3", payload.GetProperty("custom_details").GetProperty("count").GetString());
        Assert.Equal("mlp-3", payload.GetProperty("custom_details").GetProperty("model_version").GetString());
        Assert.Equal("https://alerting.example", root.GetProperty("client_url").GetString());
        Assert.EndsWith($"/api/v1/alerts/{AlertFingerprint.For("stockout_risk", "sku-1", "eu")}", root.GetProperty("links")[0].GetProperty("href").GetString());

        using var resolve = JsonDocument.Parse(received.Single(r => r.Body.Contains("\"resolve\"", StringComparison.Ordinal)).Body);
        Assert.Equal(["routing_key", "event_action", "dedup_key"], resolve.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal($"platform-alert-{AlertFingerprint.For("stockout_risk", "sku-2", "eu")}", resolve.RootElement.GetProperty("dedup_key").GetString());
    }

    [Fact]
    public async Task Delivery_pagerduty_acknowledge_from_the_api_sends_only_the_action()
    {
        var path = host.Receiver.NewEndpoint();

        await host.Publisher.PublishAsync(PagerDuty(path), Notification(Alert("sku-7", "firing")), PagerDutyEvents.Acknowledge, default);

        using var json = JsonDocument.Parse(Assert.Single(await host.Receiver.WaitForAsync(path, 1)).Body);
        Assert.Equal("acknowledge", json.RootElement.GetProperty("event_action").GetString());
        Assert.False(json.RootElement.TryGetProperty("payload", out _));
    }

    [Fact]
    public async Task Delivery_webhook_is_alertmanager_json_with_a_stable_notification_id()
    {
        var path = host.Receiver.NewEndpoint();
        var notification = Notification(Alert("sku-1", "firing"), Alert("sku-2", "firing"), Alert("sku-3", "resolved"));

        await host.Publisher.PublishAsync(new Integration("team", Channels.Webhook, 0, host.Receiver.BaseUrl + path, true, MaxAlerts: 2), notification, null, default);

        var request = Assert.Single(await host.Receiver.WaitForAsync(path, 1));
        Assert.Equal(notification.NotificationId, request.Headers[DeliveryHttp.IdempotencyHeader]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("4", root.GetProperty("version").GetString());
        Assert.Equal(notification.NotificationId, root.GetProperty("notificationId").GetString());
        Assert.Equal("firing", root.GetProperty("status").GetString());
        Assert.Equal("team", root.GetProperty("receiver").GetString());
        Assert.Equal(1, root.GetProperty("truncatedAlerts").GetInt32());
        Assert.Equal("stockout_risk", root.GetProperty("groupLabels").GetProperty("kind").GetString());
        var alert = root.GetProperty("alerts")[0];
        Assert.Equal(["status", "labels", "annotations", "startsAt", "fingerprint", "count"], alert.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, root.GetProperty("alerts").GetArrayLength());
    }

    [Fact]
    public async Task Delivery_slack_message_has_text_and_a_section_block()
    {
        var path = host.Receiver.NewEndpoint();

        await host.Publisher.PublishAsync(new Integration("chat", Channels.Slack, 0, host.Receiver.BaseUrl + path, false, SlackChannel: "#oncall"),
            Notification(Alert("sku-1", "firing")), null, default);

        using var json = JsonDocument.Parse(Assert.Single(await host.Receiver.WaitForAsync(path, 1)).Body);
        Assert.Equal("[FIRING:1] kind=stockout_risk", json.RootElement.GetProperty("text").GetString());
        Assert.Equal("#oncall", json.RootElement.GetProperty("channel").GetString());
        var block = json.RootElement.GetProperty("blocks")[0];
        Assert.Equal("section", block.GetProperty("type").GetString());
        Assert.Contains("sku-1", block.GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_retries_with_backoff_then_succeeds_once()
    {
        var path = host.Receiver.NewEndpoint(503, 429);
        var sentBefore = host.Metrics.Sent;
        var notification = Notification(Alert("sku-1", "firing"));

        await host.Publisher.PublishAsync(new Integration("team", Channels.Webhook, 0, host.Receiver.BaseUrl + path, true), notification, null, default);

        var requests = await host.Receiver.WaitForAsync(path, 3);
        Assert.Equal([503, 429, 202], requests.Select(r => r.AnsweredWith));
        Assert.All(requests, r => Assert.Equal(notification.NotificationId, r.Headers[DeliveryHttp.IdempotencyHeader]));
        await WaitUntil(() => host.Metrics.Sent > sentBefore);
        Assert.DoesNotContain(host.ErrorQueue, e => e.Notification.NotificationId == notification.NotificationId);
    }

    [Fact]
    public async Task Delivery_gives_up_after_its_retries_and_moves_the_message_to_the_error_queue()
    {
        var path = host.Receiver.NewEndpoint(Enumerable.Repeat(500, 10).ToArray());
        var deadBefore = host.Metrics.DeadLettered;
        var notification = Notification(Alert("sku-1", "firing"));

        await host.Publisher.PublishAsync(new Integration("team", Channels.Webhook, 0, host.Receiver.BaseUrl + path, true), notification, null, default);

        var queue = await host.WaitForErrorQueueAsync(notification.NotificationId);
        Assert.Equal("alerting-webhook_error", queue);
        Assert.Equal(DeliveryHost.RetryLimit + 1, host.Receiver.At(path).Count);
        await WaitUntil(() => host.Metrics.DeadLettered > deadBefore);
    }

    [Fact]
    public async Task Delivery_permanent_refusal_is_not_retried()
    {
        var path = host.Receiver.NewEndpoint(400, 400, 400, 400);
        var notification = Notification(Alert("sku-1", "firing"));

        await host.Publisher.PublishAsync(PagerDuty(path), notification, null, default);

        Assert.Equal("alerting-pagerduty_error", await host.WaitForErrorQueueAsync(notification.NotificationId));
        Assert.Single(host.Receiver.At(path));
    }

    private Integration PagerDuty(string path) =>
        new("pager", Channels.PagerDuty, 0, host.Receiver.BaseUrl + path, true, RoutingKey: "routing-key-1");

    private static AlertNotification Notification(params NotifiedAlert[] alerts) => new()
    {
        NotificationId = Guid.NewGuid().ToString("N"),
        GroupKey = "/:{kind=\"stockout_risk\"}",
        Receiver = "team",
        Status = alerts.Any(a => a.Status == "firing") ? "firing" : "resolved",
        GroupLabels = new() { ["kind"] = "stockout_risk" },
        CommonLabels = new() { ["kind"] = "stockout_risk" },
        Alerts = [.. alerts],
        CreatedAt = CreatedAt,
    };

    private static NotifiedAlert Alert(string sku, string status) => new()
    {
        Fingerprint = AlertFingerprint.For("stockout_risk", sku, "eu"),
        Status = status,
        Labels = new() { ["alertname"] = "stockout_risk", ["kind"] = "stockout_risk", ["sku"] = sku, ["region"] = "eu", ["severity"] = "critical" },
        Annotations = new() { ["summary"] = $"stockout risk on {sku}", ["model_version"] = "mlp-3" },
        StartsAt = CreatedAt.AddMinutes(-5),
        EndsAt = status == "resolved" ? CreatedAt : null,
        LastSeenAt = CreatedAt.AddMinutes(-1),
        Count = 3,
    };

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 30 s");
            }

            await Task.Delay(20);
        }
    }
}

public sealed class InMemoryDeliveryTests(InMemoryDeliveryHost host) : DeliveryContract<InMemoryDeliveryHost>(host), IClassFixture<InMemoryDeliveryHost>;

public sealed class RabbitMqDeliveryTests(RabbitMqDeliveryHost host) : DeliveryContract<RabbitMqDeliveryHost>(host), IClassFixture<RabbitMqDeliveryHost>;
