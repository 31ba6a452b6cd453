using System.ComponentModel.DataAnnotations;

namespace Platform.Kafka;

/// <summary>
/// Kafka connection and topic settings, bound from the "Kafka" configuration section.
/// <see cref="Producer"/> and <see cref="Consumer"/> pass any librdkafka setting straight through
/// (for example Kafka__Consumer__fetch.wait.max.ms=50 as an environment variable in Kubernetes).
/// </summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>Comma-separated host:port list. Empty means: start the embedded mock cluster.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>Partitions for topics not listed in <see cref="TopicPartitions"/>.</summary>
    [Range(1, 10_000)]
    public int DefaultPartitions { get; set; } = 6;

    /// <summary>Partition count per topic, e.g. { "orders.validated": 12 }.</summary>
    public Dictionary<string, int> TopicPartitions { get; set; } = new();

    [Range(1, 10)]
    public short ReplicationFactor { get; set; } = 1;

    /// <summary>Extra librdkafka producer settings.</summary>
    public Dictionary<string, string> Producer { get; set; } = new();

    /// <summary>Extra librdkafka consumer settings.</summary>
    public Dictionary<string, string> Consumer { get; set; } = new();

    public int PartitionsFor(string topic) =>
        TopicPartitions.TryGetValue(topic, out var count) ? count : DefaultPartitions;
}
