using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.IntegrationTests.Fixtures;
using Platform.Kafka;

namespace Platform.IntegrationTests;

/// <summary>
/// A host disposed while its consumer is inside a batch (no StopAsync, or a stop that timed out). The consuming thread
/// used to go on after the producer under it was destroyed: a produce on a destroyed librdkafka handle is a native
/// use-after-free that took the whole test host down (SIGSEGV in rd_kafka_produceva, seen in CI).
/// </summary>
public sealed class ConsumerHostDisposalTests
{
    [Fact]
    public async Task ConsumerHost_AppDisposedWithoutStopMidBatch_WaitsForTheConsumingThreadBeforeTheProducerGoes()
    {
        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        using (var producer = kafka.CreateProducer())
        {
            for (var i = 0; i < 5; i++)
            {
                var order = new OrderEvent { OrderId = $"DISPOSE-{i}", OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1), Currency = "EUR", Lines = [new OrderLine { Sku = "S1", Quantity = 1, UnitPrice = 1m }] };
                await producer.ProduceAsync(new TopicPartition(Topics.OrdersRaw, new Partition(0)), new Message<byte[]?, byte[]?>
                {
                    Key = Encoding.UTF8.GetBytes(order.OrderId),
                    Value = JsonSerializer.SerializeToUtf8Bytes(order, ContractsJsonContext.Default.OrderEvent),
                });
            }
        }

        HeldDedupStore? held = null;
        var app = await IngestionApp.StartAsync(kafka, null, group: $"dispose-{Guid.NewGuid():N}", wrapDedup: inner => held = new HeldDedupStore(inner), maxBatchSize: 1);
        var consumer = app.Consumer;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (consumer.RecordsProcessed < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first batch was never processed");
            await Task.Delay(20);
        }

        // The second batch waits in the dedup store; the host is disposed (no StopAsync) and the batch goes on under it.
        var release = Task.Delay(300).ContinueWith(_ => held!.Release(), TaskScheduler.Default);
        await app.App.DisposeAsync();
        await release;

        Assert.NotNull(consumer.ExecuteTask);
        Assert.True(consumer.ExecuteTask.IsCompleted, "the consuming thread outlived the disposal of the services it uses");
        Assert.Null(consumer.Fault);
    }

    [Fact]
    public async Task PlatformProducer_UsedAfterDispose_ThrowsInsteadOfReachingTheDestroyedHandle()
    {
        await using var kafka = await TestKafka.StartAsync();
        var options = Options.Create(new KafkaOptions { BootstrapServers = kafka.BootstrapServers });
        var producer = new PlatformProducer(new KafkaConnection(options, NullLogger<KafkaConnection>.Instance), options, NullLogger<PlatformProducer>.Instance);
        producer.Dispose();

        var message = new Message<byte[]?, byte[]?> { Key = [1], Value = [2] };
        Assert.Throws<ObjectDisposedException>(() => producer.Produce("any", message, _ => { }));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => producer.ProduceAsync("any", message));
        Assert.Throws<ObjectDisposedException>(() => producer.Flush(TimeSpan.Zero));
        producer.Dispose();
    }
}
