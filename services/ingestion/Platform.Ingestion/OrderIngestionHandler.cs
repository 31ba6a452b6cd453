using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Ingestion.Dedup;
using Platform.Ingestion.Validation;
using Platform.Kafka;

namespace Platform.Ingestion;

/// <summary>
/// orders.raw → orders.validated (one record per line, keyed by SKU) and orders.rejected.
/// </summary>
/// <remarks>
/// Order of effects, so that a crash at any point loses nothing: produce lines and rejections, wait for
/// Kafka to acknowledge them, record the order ids in the dedup store, and only then (in the host) commit
/// the input offsets. A redelivered batch finds its orders in the dedup store and emits them once.
/// A hard crash after lines reached Kafka but before the order was recorded is covered by the host's output
/// recovery: every line carries its source position, and the restarted consumer skips the lines already there.
/// </remarks>
public sealed class OrderIngestionHandler(
    OrderValidator validator,
    OrderNormalizer normalizer,
    IOrderDedupStore dedup,
    IngestionMetrics metrics,
    TimeProvider time,
    ILogger<OrderIngestionHandler> logger) : IBatchHandler
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(30);

    public async Task HandleAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> batch, OutputBatch output, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var parsed = new List<(ConsumeResult<byte[]?, byte[]?> Record, OrderEvent Order, string DedupKey)>(batch.Count);
        foreach (var record in batch)
        {
            // One "process" span per record: accepted records get theirs when their lines are produced, below.
            try
            {
                if (validator.TryParse(record.Message.Value, out var order, out var rejection))
                {
                    parsed.Add((record, order, DedupKeyOf(order)));
                }
                else
                {
                    Reject(output, record, rejection, now, exception: null);
                }
            }
            catch (Exception ex)
            {
                // A poison record: it cannot block the partition. It goes to orders.rejected with the exception type.
                logger.LogError(ex, "Unexpected failure on {Topic}[{Partition}]@{Offset}; dead-lettered", record.Topic, record.Partition.Value, record.Offset.Value);
                Reject(output, record, new Rejection(RejectionReasons.ProcessingError, ex.Message, null, null), now, ex);
            }
        }

        var keys = parsed.Select(p => p.DedupKey).ToList();
        var seen = await dedup.ContainsAsync(keys, ct);
        var accepted = new List<string>(parsed.Count);
        var acceptedInBatch = new HashSet<string>(StringComparer.Ordinal);
        var lineCounts = new List<(int Lines, DateTime Timestamp)>(parsed.Count);
        for (var i = 0; i < parsed.Count; i++)
        {
            var (record, order, key) = parsed[i];
            if (seen[i] || !acceptedInBatch.Add(key))
            {
                metrics.Duplicate();
                logger.LogDebug("Duplicate order {OrderId} ({EventType}) at {Topic}[{Partition}]@{Offset} skipped",
                    order.OrderId, order.EventType, record.Topic, record.Partition.Value, record.Offset.Value);
                continue;
            }

            using var activity = KafkaTracing.StartProcess(record);
            foreach (var line in normalizer.Normalize(order, now))
            {
                output.Produce(record, Topics.OrdersValidated, line.Key, line.Utf8Json);
            }

            accepted.Add(key);
            lineCounts.Add((order.Lines.Count, record.Message.Timestamp.UtcDateTime));
        }

        // Remember the orders only once their lines are safe in Kafka (see remarks).
        await output.WhenAcknowledgedAsync(AckTimeout);
        await dedup.AddAsync(accepted, ct);

        var ackedAt = time.GetUtcNow().UtcDateTime;
        foreach (var (lines, timestamp) in lineCounts)
        {
            metrics.OrderAccepted(lines);
            metrics.RecordLag(ackedAt - timestamp);
        }
    }

    /// <summary>An order is the same order when its id and event type are: a cancellation may reuse the id it cancels.</summary>
    public static string DedupKeyOf(OrderEvent order) => $"{order.EventType}:{order.OrderId}";

    private void Reject(OutputBatch output, ConsumeResult<byte[]?, byte[]?> record, Rejection rejection, DateTimeOffset now, Exception? exception)
    {
        using var activity = KafkaTracing.StartProcess(record);
        var rejected = RejectionFactory.Create(
            rejection, "kafka", record.Message.Value ?? [], now, record.Topic, record.Partition.Value, record.Offset.Value);
        output.DeadLetter(record, Topics.OrdersRejected, rejection.Reason, exception, RejectionFactory.Serialize(rejected));
        metrics.OrderRejected(rejection.Reason, "kafka");
        logger.LogInformation("Rejected {Topic}[{Partition}]@{Offset}: {Reason} {Field} {Detail}",
            record.Topic, record.Partition.Value, record.Offset.Value, rejection.Reason, rejection.Field, rejection.Detail);
    }
}
