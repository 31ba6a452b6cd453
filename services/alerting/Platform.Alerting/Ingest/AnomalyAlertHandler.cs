using Confluent.Kafka;
using Platform.Alerting.Engine;
using Platform.Contracts;
using Platform.Kafka;

namespace Platform.Alerting.Ingest;

/// <summary>
/// alerts.anomalies → the alert engine. A record that cannot be read goes to alerts.anomalies.rejected with its reason
/// (never blocks the partition); the rest are merged in one engine call. If the engine cannot store them (Redis down)
/// the exception makes the consumer host retry the batch, and the engine recognises the detections it already merged.
/// </summary>
public sealed class AnomalyAlertHandler(AlertEngine engine, AlertingMetrics metrics, ILogger<AnomalyAlertHandler> logger) : IBatchHandler
{
    public async Task HandleAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> batch, OutputBatch output, CancellationToken ct)
    {
        var valid = new List<AnomalyAlert>(batch.Count);
        foreach (var record in batch)
        {
            using var activity = KafkaTracing.StartProcess(record);
            if (AnomalyAlertValidator.TryRead(record.Message.Value, out var alert, out var reason, out var detail))
            {
                valid.Add(alert);
                continue;
            }

            metrics.AlertRejected(reason);
            logger.LogWarning("Unusable record at {Topic}[{Partition}]@{Offset} ({Reason}: {Detail}); sent to {DeadLetter}",
                record.Topic, record.Partition.Value, record.Offset.Value, reason, detail, AlertingExtensions.RejectedTopic);
            output.DeadLetter(record, AlertingExtensions.RejectedTopic, reason, new FormatException(detail));
        }

        if (valid.Count > 0)
        {
            await engine.ReceiveAsync(valid, ct);
        }
    }
}
