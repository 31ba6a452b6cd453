using Confluent.Kafka;

namespace Platform.Kafka;

/// <summary>
/// Processes one batch of consumed records, producing its outputs through <paramref name="output"/>.
/// A handler isolates failures of single records itself (dead-letters them and goes on); an exception
/// out of <see cref="HandleAsync"/> means the whole batch could not be processed (for example a store is
/// down), so the host retries it and commits nothing until it succeeds.
/// A batch may be delivered again after a crash or rebalance: handlers make their effects idempotent.
/// </summary>
public interface IBatchHandler
{
    Task HandleAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> batch, OutputBatch output, CancellationToken ct);
}

/// <summary>
/// A handler that keeps state per input partition. The host tells it, on the consuming thread and between batches,
/// which partitions it gained and lost, so it can load state for the first and drop it for the second (another
/// instance owns them now and will change their state).
/// </summary>
public interface IPartitionAwareBatchHandler : IBatchHandler
{
    void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions);

    void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions);
}
