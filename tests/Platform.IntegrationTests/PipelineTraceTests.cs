using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Platform.Contracts;
using Platform.Features;
using Platform.IntegrationTests.Fixtures;
using Platform.Kafka;
using Platform.OnlineStore;
using Platform.Testing;

namespace Platform.IntegrationTests;

/// <summary>
/// One order's trace through the four services, each the real service in this process, on one broker and one Redis,
/// recorded by OpenTelemetry's in-memory exporter as a collector would receive it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class PipelineTraceTests(RedisFixture redis)
{
    /// <summary>Stands for the order system: the trace starts with its publish span.</summary>
    private static readonly ActivitySource OrderSystem = new("Platform.IntegrationTests.OrderSystem");

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Tracing_OneOrdersTraceRunsFromIngestionThroughFeatureStoreAndInferenceToAlerting()
    {
        var spans = new RecordedSpans();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(KafkaTracing.SourceName, OrderSystem.Name)
            .AddInMemoryExporter(spans)
            .Build();
        using var model = new SmallDemandModel();
        await using var kafka = await TestKafka.StartAsync();
        foreach (var topic in Topics.All)
        {
            await kafka.CreateTopicAsync(topic, 3);
        }

        await AlertingApp.CreateTopicsAsync(kafka);
        // Groups, SKU and order ids of this run's own: the Redis is shared with the other tests of the assembly.
        var run = Guid.NewGuid().ToString("N")[..10];
        var sku = $"TRACE-{run}";
        await using var ingestion = await IngestionApp.StartAsync(kafka, redis.Configuration, group: $"ingestion-{run}");
        await using var featureStore = await FeatureStoreApp.StartAsync(kafka, redis.Configuration, $"feature-store-{run}");
        await using var inference = await InferenceApp.StartAsync(kafka, redis.Configuration, model.Root, $"inference-{run}");
        await using var alerting = await AlertingApp.StartAsync(kafka, $"alerting-{run}");
        using var producer = kafka.CreateProducer();

        // Ordinary orders first: order risk judges a SKU's prices after 20 lines, and inference forecasts a SKU once the
        // feature store has written its demand window.
        var placedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var i = 0; i < 24; i++)
        {
            await producer.ProduceAsync(Topics.OrdersRaw, Order($"W-{run}-{i}", sku, 5m, placedAt, headers: null));
        }

        using (var lines = new TopicReader(kafka, Topics.OrdersValidated))
        {
            // orders.validated is keyed by SKU: the order below lands behind these 24 lines on the same partition.
            var read = lines.ReadUntil(r => r.Count(x => TopicReader.Line(x).Sku == sku) >= 24, Patience);
            Assert.Equal(24, read.Count(x => TopicReader.Line(x).Sku == sku));
        }

        var store = featureStore.App.Services.GetRequiredService<RedisOnlineStore>();
        await WaitUntilAsync(async () => (await store.GetDemandWindowsAsync([EntityKeys.Sku(sku)]))[0] is not null, "the SKU's demand window in the online store");

        // The order, at 100 times the usual price (an order-risk alert), placed inside the order system's span.
        ActivityTraceId traceId;
        ActivitySpanId placedSpan;
        using (var placing = OrderSystem.StartActivity("orders.raw publish", ActivityKind.Producer))
        {
            Assert.NotNull(placing);
            traceId = placing.TraceId;
            placedSpan = placing.SpanId;
            var headers = new Headers();
            KafkaTracing.Inject(placing, headers);
            await producer.ProduceAsync(Topics.OrdersRaw, Order($"T-{run}", sku, 500m, placedAt, headers));
        }

        await WaitUntilAsync(
            () => Task.FromResult(spans.OfTrace(traceId) is var trace
                && trace.Any(s => s.DisplayName == $"{Topics.AlertsAnomalies} process")
                && trace.Any(s => s.DisplayName == $"{Topics.FeaturesUpdated} process")),
            "the alerting consumer's span and inference's span for the order's features.updated notice in the order's trace");
        var spansOfTrace = spans.OfTrace(traceId);

        // ingestion: orders.raw → orders.validated
        var ingested = ChildOf(spansOfTrace, placedSpan, $"{Topics.OrdersRaw} process", ActivityKind.Consumer);
        var linePublished = ChildOf(spansOfTrace, ingested.SpanId, $"{Topics.OrdersValidated} publish", ActivityKind.Producer);

        // The line is consumed twice, by the feature store and by inference's order-risk judge.
        var lineConsumers = spansOfTrace.Where(s => s.DisplayName == $"{Topics.OrdersValidated} process" && s.ParentSpanId == linePublished.SpanId).ToList();
        Assert.Equal(2, lineConsumers.Count);
        Assert.All(lineConsumers, s => Assert.Equal(ActivityKind.Consumer, s.Kind));

        // feature store: the SKU's features.updated notice is created as a child of (and linked to) the line's process span.
        var noticeCreated = Assert.Single(spansOfTrace, s => s.DisplayName == $"{Topics.FeaturesUpdated} create"
            && (string?)s.GetTagItem("messaging.kafka.message.key") == EntityKeys.Sku(sku));
        var featureStoreLine = Assert.Single(lineConsumers, s => s.SpanId == noticeCreated.ParentSpanId);
        Assert.Contains(noticeCreated.Links, link => link.Context.SpanId == featureStoreLine.SpanId);
        var noticePublished = ChildOf(spansOfTrace, noticeCreated.SpanId, $"{Topics.FeaturesUpdated} publish", ActivityKind.Producer);

        // inference: the notice's forecast, and the line's order-risk alert.
        // Inference publishes a forecast only when it changed: the order did not move the SKU's hourly window, so the
        // notice's forecast equals the one before it and is not published again. Any forecast published is the notice's child.
        var noticeConsumed = ChildOf(spansOfTrace, noticePublished.SpanId, $"{Topics.FeaturesUpdated} process", ActivityKind.Consumer);
        Assert.All(spansOfTrace.Where(s => s.DisplayName == $"{Topics.ForecastsDemand} publish"), s => Assert.Equal(noticeConsumed.SpanId, s.ParentSpanId));
        var inferenceLine = Assert.Single(lineConsumers, s => s.SpanId != featureStoreLine.SpanId);
        var alertPublished = ChildOf(spansOfTrace, inferenceLine.SpanId, $"{Topics.AlertsAnomalies} publish", ActivityKind.Producer);

        // alerting: consumes the alert.
        ChildOf(spansOfTrace, alertPublished.SpanId, $"{Topics.AlertsAnomalies} process", ActivityKind.Consumer);

        // The alert names the trace in its payload too, for whoever reads it without the headers.
        using var alerts = new TopicReader(kafka, Topics.AlertsAnomalies);
        var alert = alerts.ReadUntil(r => r.Any(x => AlertOf(x).Sku == sku), Patience).Select(AlertOf).First(a => a.Sku == sku);
        Assert.Equal(AnomalyKinds.OrderRisk, alert.Kind);
        Assert.Equal(traceId.ToHexString(), alert.TraceId);
    }

    private static Activity ChildOf(List<Activity> trace, ActivitySpanId parent, string name, ActivityKind kind)
    {
        var span = Assert.Single(trace, s => s.DisplayName == name && s.ParentSpanId == parent);
        Assert.Equal(kind, span.Kind);
        return span;
    }

    private static AnomalyAlert AlertOf(ConsumeResult<byte[]?, byte[]?> record) =>
        JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.AnomalyAlert)!;

    private static Message<byte[]?, byte[]?> Order(string orderId, string sku, decimal unitPrice, DateTimeOffset placedAt, Headers? headers) => new()
    {
        Key = Encoding.UTF8.GetBytes(orderId),
        Value = JsonSerializer.SerializeToUtf8Bytes(
            new OrderEvent
            {
                OrderId = orderId,
                OccurredAt = placedAt,
                Currency = "EUR",
                Region = "eu",
                Channel = "web",
                Lines = [new OrderLine { Sku = sku, Quantity = 1, UnitPrice = unitPrice }],
            },
            ContractsJsonContext.Default.OrderEvent),
        Headers = headers,
    };

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
