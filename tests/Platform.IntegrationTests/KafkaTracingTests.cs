using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.IntegrationTests.Fixtures;
using Platform.Kafka;

namespace Platform.IntegrationTests;

[Collection(RedisCollection.Name)]
public sealed class KafkaTracingTests
{
    [Fact]
    public async Task Tracing_OrderTraceContinuesFromOrdersRawThroughIngestionToOrdersValidated()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KafkaTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        await using var app = await IngestionApp.StartAsync(kafka, null, group: "ing-trace");

        // The order system's span, propagated in a W3C traceparent header as any OpenTelemetry producer would.
        var traceId = ActivityTraceId.CreateRandom();
        var parent = $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01";
        var now = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        using (var producer = kafka.CreateProducer())
        {
            await producer.ProduceAsync(Topics.OrdersRaw, new Message<byte[]?, byte[]?>
            {
                Key = "T-1"u8.ToArray(),
                Value = Encoding.UTF8.GetBytes($$"""{"schema_version":1,"event_type":"order_placed","order_id":"T-1","occurred_at":"{{now}}","currency":"EUR","lines":[{"sku":"S1","quantity":1,"unit_price":1}]}"""),
                Headers = new Headers { { KafkaTracing.TraceParentHeader, Encoding.ASCII.GetBytes(parent) } },
            });
        }

        using var reader = new TopicReader(kafka, Topics.OrdersValidated);
        var line = Assert.Single(reader.ReadUntil(r => r.Count >= 1, TimeSpan.FromSeconds(60)));
        Assert.True(line.Message.Headers.TryGetLastBytes(KafkaTracing.TraceParentHeader, out var header));
        var context = KafkaTracing.Extract(line.Message.Headers);
        Assert.Equal(traceId, context.TraceId);
        Assert.NotEqual(parent, Encoding.ASCII.GetString(header)); // a new span of the same trace: ingestion's publish span
    }
}
