using System.Diagnostics.Metrics;

namespace Platform.Kafka;

/// <summary>Consumer-host instruments (Meter "Platform.Kafka"), tagged by consumer name.</summary>
public static class KafkaMetrics
{
    public const string MeterName = "Platform.Kafka";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> RecordsConsumed = Meter.CreateCounter<long>("platform.kafka.consumer.records", "{record}");
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("platform.kafka.consumer.batch_size", "{record}");
    public static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>("platform.kafka.consumer.batch_duration", "ms");
    public static readonly Counter<long> BatchRetries = Meter.CreateCounter<long>("platform.kafka.consumer.batch_retries", "{attempt}");
    public static readonly Counter<long> CommitFailures = Meter.CreateCounter<long>("platform.kafka.consumer.commit_failures", "{commit}");
    public static readonly Counter<long> AbandonedOnRevoke = Meter.CreateCounter<long>("platform.kafka.consumer.abandoned_on_revoke", "{record}");
    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("platform.kafka.dead_lettered", "{record}");
    public static readonly Counter<long> RecoveredOutputs = Meter.CreateCounter<long>("platform.kafka.consumer.recovered_outputs", "{record}",
        "Outputs of uncommitted input found already in Kafka after a crash or failed attempt, and not produced again");
    public static readonly Counter<long> CheckpointFailures = Meter.CreateCounter<long>("platform.kafka.consumer.checkpoint_failures", "{checkpoint}",
        "Output checkpoints that could not be stored (the previous one stays in force)");
    public static readonly Counter<long> OffsetResets = Meter.CreateCounter<long>("platform.kafka.consumer.offset_resets", "{reset}",
        "Positions reset after an error (e.g. the log was truncated before the consumer read it): records were skipped");
    public static readonly Counter<long> FatalErrors = Meter.CreateCounter<long>("platform.kafka.fatal_errors", "{error}");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<BatchConsumerHost, byte> Hosts = new();

    static KafkaMetrics()
    {
        Meter.CreateObservableGauge(
            "platform.kafka.consumer.lag",
            () => Hosts.Keys.Select(h => new Measurement<long>(h.Lag, new KeyValuePair<string, object?>("consumer", h.Name))),
            "{record}",
            "Records behind the high watermark, per consumer");
        // Per partition, as Kafka's own consumer-lag exporters report it: a hot or stuck partition shows even when the total looks fine.
        Meter.CreateObservableGauge(
            "platform.kafka.consumer.partition_lag",
            () => Hosts.Keys.SelectMany(h => h.PartitionLags.Select(p => new Measurement<long>(
                p.Lag,
                new KeyValuePair<string, object?>("consumer", h.Name),
                new KeyValuePair<string, object?>("topic", p.Partition.Topic),
                new KeyValuePair<string, object?>("partition", p.Partition.Partition.Value)))),
            "{record}",
            "Records behind the high watermark, per consumer, topic and partition");
    }

    internal static void Track(BatchConsumerHost host) => Hosts[host] = 0;

    internal static void Untrack(BatchConsumerHost host) => Hosts.TryRemove(host, out _);
}
