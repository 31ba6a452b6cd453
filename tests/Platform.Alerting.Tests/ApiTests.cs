using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Alerting.Model;
using Platform.Contracts;

namespace Platform.Alerting.Tests;

/// <summary>The service end to end: alerts.anomalies → engine → PagerDuty-shaped events, and the HTTP API.</summary>
public sealed class ApiTests(AlertingAppFactory app) : IClassFixture<AlertingAppFactory>
{
    [Fact]
    public async Task Api_requires_the_key_but_health_and_openapi_are_open()
    {
        using var anonymous = app.CreateClient();
        using var wrongKey = app.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key");

        using var noKey = await anonymous.GetAsync("/api/v1/alerts");
        using var badKey = await wrongKey.PostAsync("/api/v1/silences", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var live = await anonymous.GetAsync("/health/live");
        using var openApi = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("unauthorized", (await ReadAsync(noKey)).RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        using var document = await ReadAsync(openApi);
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/alerts", "/api/v1/alerts/{fingerprint}", "/api/v1/alerts/{fingerprint}/acknowledge", "/api/v1/alerts/{fingerprint}/resolve", "/api/v1/silences", "/api/v1/silences/{id}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        }

        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Api_anomaly_from_kafka_is_paged_listed_acknowledged_and_resolved_with_pagerduty_events()
    {
        using var client = app.CreateAuthorizedClient();
        var sku = $"e2e-{Guid.NewGuid():N}"[..20];
        var fingerprint = AlertFingerprint.For(AnomalyKinds.StockoutRisk, sku, "eu");
        var dedupKey = $"platform-alert-{fingerprint}";

        await app.ProduceAsync(Detections.Of(AnomalyKinds.StockoutRisk, sku, severity: "critical"));
        var trigger = await WaitForEventAsync(dedupKey, "trigger");
        Assert.Equal("routing-key-e2e", trigger.GetProperty("routing_key").GetString());
        Assert.Equal("critical", trigger.GetProperty("payload").GetProperty("severity").GetString());

        using var list = await client.GetAsync("/api/v1/alerts?state=firing");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listed = (await ReadAsync(list)).RootElement.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("fingerprint").GetString() == fingerprint);
        Assert.Equal("firing", listed.GetProperty("state").GetString());
        Assert.Equal(sku, listed.GetProperty("labels").GetProperty("sku").GetString());
        Assert.Equal(1, listed.GetProperty("count").GetInt64());

        using var ack = await client.PostAsJsonAsync($"/api/v1/alerts/{fingerprint}/acknowledge", new { by = "alice", comment = "restocking" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        using var ackBody = await ReadAsync(ack);
        Assert.Equal("acknowledged", ackBody.RootElement.GetProperty("alert").GetProperty("state").GetString());
        Assert.Equal("alice", ackBody.RootElement.GetProperty("alert").GetProperty("acknowledged_by").GetString());
        Assert.Equal(1, ackBody.RootElement.GetProperty("pagerduty_events_queued").GetInt32());
        await WaitForEventAsync(dedupKey, "acknowledge");

        using var resolve = await client.PostAsync($"/api/v1/alerts/{fingerprint}/resolve", null);
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        Assert.Equal("resolved", (await ReadAsync(resolve)).RootElement.GetProperty("alert").GetProperty("state").GetString());
        await WaitForEventAsync(dedupKey, "resolve");

        using var again = await client.PostAsync($"/api/v1/alerts/{fingerprint}/resolve", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("alert_resolved", (await ReadAsync(again)).RootElement.GetProperty("error").GetString());
        using var one = await client.GetAsync($"/api/v1/alerts/{fingerprint}");
        Assert.Equal("api:api", (await ReadAsync(one)).RootElement.GetProperty("resolved_by").GetString());
    }

    [Fact]
    public async Task Api_unreadable_records_go_to_the_dead_letter_topic_with_their_reason()
    {
        var wrongSeverity = Detections.Of(AnomalyKinds.DemandSpike, "dlq-sku", severity: "urgent");

        await app.ProduceAsync(Encoding.UTF8.GetBytes("{not json"), wrongSeverity);

        var rejected = app.ReadRejected(2);
        var reasons = rejected.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(DeadLetterHeaders.Reason))).Order().ToList();
        Assert.Equal([RejectionReasons.InvalidField, RejectionReasons.MalformedJson], reasons);
        Assert.All(rejected, r => Assert.Equal(Topics.AlertsAnomalies, Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(DeadLetterHeaders.SourceTopic))));
        using var client = app.CreateAuthorizedClient();
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Api_alert_endpoints_answer_machine_readable_errors()
    {
        using var client = app.CreateAuthorizedClient();

        using var badState = await client.GetAsync("/api/v1/alerts?state=burning");
        using var missing = await client.GetAsync("/api/v1/alerts/0123456789abcdef");
        using var malformed = await client.GetAsync("/api/v1/alerts/not-a-fingerprint");
        using var ackMissing = await client.PostAsync("/api/v1/alerts/0123456789abcdef/acknowledge", null);
        using var badBody = await client.PostAsync("/api/v1/alerts/0123456789abcdef/acknowledge", new StringContent("{", Encoding.UTF8, "application/json"));

        Assert.Equal("invalid_state", await ErrorOf(badState, HttpStatusCode.BadRequest));
        Assert.Equal("alert_not_found", await ErrorOf(missing, HttpStatusCode.NotFound));
        Assert.Equal("alert_not_found", await ErrorOf(malformed, HttpStatusCode.NotFound));
        Assert.Equal("alert_not_found", await ErrorOf(ackMissing, HttpStatusCode.NotFound));
        Assert.Equal("invalid_json", await ErrorOf(badBody, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Api_silences_are_created_listed_applied_and_expired()
    {
        using var client = app.CreateAuthorizedClient();
        var sku = $"sil-{Guid.NewGuid():N}"[..20];
        using var created = await client.PostAsJsonAsync("/api/v1/silences", new
        {
            matchers = new object[] { new { name = "sku", value = sku }, new { name = "kind", value = "demand_.*", is_regex = true } },
            ends_at = DateTimeOffset.UtcNow.AddHours(1),
            created_by = "bob",
            comment = "supplier outage",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var silence = await ReadAsync(created);
        var id = silence.RootElement.GetProperty("id").GetString();
        Assert.Equal("active", silence.RootElement.GetProperty("status").GetString());
        Assert.True(silence.RootElement.GetProperty("matchers")[1].GetProperty("is_regex").GetBoolean());

        await app.ProduceAsync(Detections.Of(AnomalyKinds.DemandDrop, sku));
        var fingerprint = AlertFingerprint.For(AnomalyKinds.DemandDrop, sku, "eu");
        var state = await WaitForStateAsync(client, fingerprint, "silenced");
        Assert.Equal(id, state.GetProperty("silenced_by")[0].GetString());

        using var active = await client.GetAsync("/api/v1/silences?status=active");
        Assert.Contains((await ReadAsync(active)).RootElement.GetProperty("silences").EnumerateArray(), s => s.GetProperty("id").GetString() == id);
        using var expired = await client.DeleteAsync($"/api/v1/silences/{id}");
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        Assert.Equal("expired", (await ReadAsync(expired)).RootElement.GetProperty("status").GetString());
        await WaitForStateAsync(client, fingerprint, "firing");
        using var gone = await client.DeleteAsync("/api/v1/silences/does-not-exist");
        Assert.Equal("silence_not_found", await ErrorOf(gone, HttpStatusCode.NotFound));
    }

    [Theory]
    [InlineData("{\"matchers\": [], \"ends_at\": \"2999-01-01T00:00:00Z\", \"created_by\": \"a\", \"comment\": \"c\"}", "missing_matchers")]
    [InlineData("{\"matchers\": [{\"name\": \"sku\", \"value\": \"(\", \"is_regex\": true}], \"ends_at\": \"2999-01-01T00:00:00Z\", \"created_by\": \"a\", \"comment\": \"c\"}", "invalid_matcher")]
    [InlineData("{\"matchers\": [{\"name\": \"sku\", \"value\": \".*\", \"is_regex\": true}], \"ends_at\": \"2999-01-01T00:00:00Z\", \"created_by\": \"a\", \"comment\": \"c\"}", "matches_everything")]
    [InlineData("{\"matchers\": [{\"name\": \"sku\", \"value\": \"1\"}], \"ends_at\": \"2999-01-01T00:00:00Z\", \"comment\": \"c\"}", "missing_created_by")]
    [InlineData("{\"matchers\": [{\"name\": \"sku\", \"value\": \"1\"}], \"ends_at\": \"2999-01-01T00:00:00Z\", \"created_by\": \"a\"}", "missing_comment")]
    [InlineData("{\"matchers\": [{\"name\": \"sku\", \"value\": \"1\"}], \"ends_at\": \"2000-01-01T00:00:00Z\", \"created_by\": \"a\", \"comment\": \"c\"}", "invalid_time_range")]
    [InlineData("{\"matchers\": [{\"name\": \"sku\", \"value\": \"1\"}], \"created_by\": \"a\", \"comment\": \"c\"}", "invalid_time_range")]
    [InlineData("[1, 2]", "invalid_json")]
    public async Task Api_silence_refuses_bad_input_with_its_reason(string body, string error)
    {
        using var client = app.CreateAuthorizedClient();

        using var response = await client.PostAsync("/api/v1/silences", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(error, await ErrorOf(response, HttpStatusCode.BadRequest));
    }

    private async Task<JsonElement> WaitForEventAsync(string dedupKey, string action)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            foreach (var request in app.Receiver.At(app.PagerDutyPath))
            {
                using var json = JsonDocument.Parse(request.Body);
                if (json.RootElement.GetProperty("dedup_key").GetString() == dedupKey && json.RootElement.GetProperty("event_action").GetString() == action)
                {
                    return json.RootElement.Clone();
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {action} event for {dedupKey}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> WaitForStateAsync(HttpClient client, string fingerprint, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync($"/api/v1/alerts/{fingerprint}");
            if (response.IsSuccessStatusCode)
            {
                using var json = await ReadAsync(response);
                if (json.RootElement.GetProperty("state").GetString() == state)
                {
                    return json.RootElement.Clone();
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"alert {fingerprint} did not become {state}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string?> ErrorOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = await ReadAsync(response);
        return json.RootElement.GetProperty("error").GetString();
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response) =>
        await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
}
