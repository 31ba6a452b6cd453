using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Features;
using Platform.FeatureStore;
using Platform.IntegrationTests.Fixtures;
using Platform.Kafka;
using Platform.OnlineStore;

namespace Platform.IntegrationTests;

/// <summary>
/// A flush whose state commit fails, before or after it reached the store, is retried with the same batch (as the
/// consumer host does): the stored quantities must count every line exactly once either way.
/// </summary>
public sealed class FeatureStreamHandlerRetryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FeatureStream_CommitFailsThenBatchIsRetried_EveryLineCountsOnce(bool failureAfterTheWriteLanded)
    {
        await using var kafka = await TestKafka.StartAsync();
        await FeatureStoreApp.CreateTopicsAsync(kafka);
        var options = Options.Create(new KafkaOptions { BootstrapServers = kafka.BootstrapServers });
        using var connection = new KafkaConnection(options, NullLogger<KafkaConnection>.Instance);
        using var producer = new PlatformProducer(connection, options, NullLogger<PlatformProducer>.Instance);
        var inner = new InMemoryOnlineStore();
        var store = new FailingOnceStateStore(inner, failAfterWrite: failureAfterTheWriteLanded);
        using var metrics = new FeatureStoreMetrics();
        var handler = new FeatureStreamHandler(
            new FeatureStreamHandler.Settings(FeatureStreamHandler.SkuStream, "retry-test", EntityScope.Sku, ForwardCategoryLines: false),
            FeatureSchema.Default, store, metrics, NullLogger<FeatureStreamHandler>.Instance);

        var start = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
        var batch = Enumerable.Range(0, 20).Select(i => Record(i, new OrderLineValidated
        {
            LineId = $"o{i}:1", OrderId = $"o{i}", LineNumber = 1, LineCount = 1, Sku = "A1", Quantity = 2, UnitPrice = 3m,
            Currency = "EUR", Region = "eu", Channel = "web", OccurredAt = start.AddSeconds(i), IngestedAt = start.AddSeconds(i),
        })).ToList();

        await Assert.ThrowsAsync<IOException>(() => handler.HandleAsync(batch, new OutputBatch(producer), CancellationToken.None));
        await handler.HandleAsync(batch, new OutputBatch(producer), CancellationToken.None);

        var row = await inner.GetAsync(EntityKeys.Sku("A1"));
        Assert.NotNull(row);
        Assert.Equal(40, row.Values["qty_24h"]);
        Assert.Equal(20, (await inner.LoadPartitionAsync("retry-test", Topics.OrdersValidated, 0)).NextOffset);
    }

    private static ConsumeResult<byte[]?, byte[]?> Record(long offset, OrderLineValidated line) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Topics.OrdersValidated, 0, offset),
        Message = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(line.Sku),
            Value = JsonSerializer.SerializeToUtf8Bytes(line, ContractsJsonContext.Default.OrderLineValidated),
            Headers = [],
        },
    };

    /// <summary>Fails the first commit, either before writing or after the write landed (a lost reply).</summary>
    private sealed class FailingOnceStateStore(IFeatureStateStore inner, bool failAfterWrite) : IFeatureStateStore
    {
        private int _commits;

        public Task<PartitionState> LoadPartitionAsync(string consumerGroup, string topic, int partition, CancellationToken ct = default) =>
            inner.LoadPartitionAsync(consumerGroup, topic, partition, ct);

        public async Task CommitAsync(PartitionCommit commit, CancellationToken ct = default)
        {
            if (Interlocked.Increment(ref _commits) == 1)
            {
                if (failAfterWrite)
                {
                    await inner.CommitAsync(commit, ct);
                }

                throw new IOException("connection reset while committing");
            }

            await inner.CommitAsync(commit, ct);
        }
    }
}
