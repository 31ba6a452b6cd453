using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.IntegrationTests.Fixtures;
using Platform.Kafka;

namespace Platform.IntegrationTests;

/// <summary>The consumer hosts' lag as a dashboard or an autoscaler reads it: per consumer, topic and partition.</summary>
[Collection(RedisCollection.Name)]
public sealed class ConsumerLagMetricsTests
{
    [Fact]
    public async Task Metrics_ConsumerLagIsReportedPerPartition()
    {
        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        const int orders = 20;
        var partition = new TopicPartition(Topics.OrdersRaw, new Partition(2));
        var placedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        using (var producer = kafka.CreateProducer())
        {
            for (var i = 0; i < orders; i++)
            {
                var order = new OrderEvent { OrderId = $"LAG-{i}", OccurredAt = placedAt, Currency = "EUR", Lines = [new OrderLine { Sku = "S1", Quantity = 1, UnitPrice = 1m }] };
                await producer.ProduceAsync(partition, new Message<byte[]?, byte[]?>
                {
                    Key = Encoding.UTF8.GetBytes(order.OrderId),
                    Value = JsonSerializer.SerializeToUtf8Bytes(order, ContractsJsonContext.Default.OrderEvent),
                });
            }
        }

        // One order per batch, and the second batch held: the first leaves the other 19 behind on partition 2.
        HeldDedupStore? held = null;
        await using var app = await IngestionApp.StartAsync(
            kafka, null, group: $"lag-{Guid.NewGuid():N}", wrapDedup: inner => held = new HeldDedupStore(inner), maxBatchSize: 1);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            Dictionary<(string Topic, int Partition), long> lags;
            while (!(lags = ObserveIngestionPartitionLags()).TryGetValue((Topics.OrdersRaw, 2), out var lag) || lag != orders - 1)
            {
                Assert.True(DateTime.UtcNow < deadline, $"orders.raw[2] lag never reached {orders - 1}; last seen: {string.Join(", ", lags)}");
                await Task.Delay(50);
            }

            Assert.Equal(orders - 1, app.Consumer.Lag);
            Assert.All(lags.Where(l => l.Key != (Topics.OrdersRaw, 2)), l => Assert.Equal(0, l.Value));
        }
        finally
        {
            held?.Release();
        }
    }

    /// <summary>Collects platform.kafka.consumer.partition_lag now, as a metrics exporter would, for the "ingestion" consumer.</summary>
    private static Dictionary<(string Topic, int Partition), long> ObserveIngestionPartitionLags()
    {
        var lags = new Dictionary<(string, int), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KafkaMetrics.MeterName && instrument.Name == "platform.kafka.consumer.partition_lag")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? consumer = null, topic = null;
            int? partition = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "consumer": consumer = tag.Value as string; break;
                    case "topic": topic = tag.Value as string; break;
                    case "partition": partition = tag.Value as int?; break;
                }
            }

            if (consumer == "ingestion" && topic is not null && partition is { } p)
            {
                lags[(topic, p)] = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return lags;
    }
}
