using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Alerting.Configuration;
using Platform.Contracts;
using Platform.Kafka;

namespace Platform.Alerting.Tests;

/// <summary>
/// The alerting service's own Program (WebApplicationFactory): the embedded Kafka mock cluster, the alerts.anomalies
/// consumer, in-memory state and transport, and every alert routed as PagerDuty events to a local HTTP receiver.
/// </summary>
public sealed class AlertingAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ApiKey = "api-tests-key-0123456789abcdef";

    public LocalHttpReceiver Receiver { get; private set; } = null!;

    /// <summary>Path on <see cref="Receiver"/> the PagerDuty events go to.</summary>
    public string PagerDutyPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Receiver = await LocalHttpReceiver.StartAsync();
        PagerDutyPath = Receiver.NewEndpoint();
        // Starts the host: the consumer joins, topics exist.
        using var client = CreateClient();
        await WaitReadyAsync(client);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>Publishes detections (or raw bytes) to alerts.anomalies as the inference service would.</summary>
    public async Task ProduceAsync(params object[] records)
    {
        var producer = Services.GetRequiredService<PlatformProducer>();
        foreach (var record in records)
        {
            var (key, value) = record switch
            {
                AnomalyAlert alert => (alert.Sku, JsonSerializer.SerializeToUtf8Bytes(alert, ContractsJsonContext.Default.AnomalyAlert)),
                byte[] raw => ("raw", raw),
                _ => throw new ArgumentException("an AnomalyAlert or bytes", nameof(records)),
            };
            await producer.ProduceAsync(Topics.AlertsAnomalies, new Message<byte[]?, byte[]?> { Key = System.Text.Encoding.UTF8.GetBytes(key), Value = value });
        }
    }

    /// <summary>Reads alerts.anomalies.rejected from the start until <paramref name="count"/> records are seen.</summary>
    public List<ConsumeResult<byte[]?, byte[]?>> ReadRejected(int count)
    {
        var bootstrap = Services.GetRequiredService<KafkaConnection>().BootstrapServers;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"rejected-reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(AlertingExtensions.RejectedTopic);
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                records.Add(record);
            }
        }

        consumer.Close();
        return records;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Alerting:ApiKey", ApiKey);
        builder.UseSetting("Alerting:ConsumerGroup", $"alerting-tests-{Guid.NewGuid():N}");
        builder.UseSetting("Alerting:ExternalUrl", "https://alerting.example");
        builder.UseSetting("Alerting:ConfigYaml", AlertingConfigTemplates.PagerDutyWebhook(
            Receiver.BaseUrl + PagerDutyPath, "routing-key-e2e", groupWait: TimeSpan.FromSeconds(1), groupInterval: TimeSpan.FromSeconds(2)));
        builder.UseSetting("Kafka:DefaultPartitions", "2");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/health/ready: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(100);
        }
    }
}
