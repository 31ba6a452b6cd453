using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.Kafka;
using Platform.OfflineStore;

namespace Platform.FeatureStore;

/// <summary>
/// Appends orders.validated to the offline store (Parquet, by event date) in its own consumer group: a batch is written
/// and flushed before its offsets are committed, so no line is missing from the training history after a crash. A crash
/// between the flush and the commit writes a batch twice; the offline reader drops repeats by line_id.
/// </summary>
/// <remarks>Separate from the online streams so that Parquet files can be large (one per batch of up to a minute) while
/// online features are flushed every few hundred milliseconds.</remarks>
public sealed class OfflineLinesHandler(OfflineStoreWriter writer, ILogger<OfflineLinesHandler> logger) : IBatchHandler
{
    public async Task HandleAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> batch, OutputBatch output, CancellationToken ct)
    {
        foreach (var record in batch)
        {
            try
            {
                writer.Append(JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.OrderLineValidated)
                    ?? throw new JsonException("null line"));
            }
            catch (Exception ex) when (ex is JsonException or ArgumentNullException)
            {
                // The SKU stream dead-letters it to orders.late; here it is only skipped.
                logger.LogWarning("Unreadable order line at {Topic}[{Partition}]@{Offset} not written offline: {Message}",
                    record.Topic, record.Partition.Value, record.Offset.Value, ex.Message);
            }
        }

        var flushed = await writer.FlushAsync(ct);
        logger.LogDebug("Offline store: {Lines} lines written to {Files} files", flushed.Lines, flushed.Files.Count);
    }
}
