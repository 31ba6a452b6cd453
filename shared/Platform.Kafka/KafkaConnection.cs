using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts;

namespace Platform.Kafka;

/// <summary>
/// Where Kafka is: the configured brokers, or, when none are configured, librdkafka's mock cluster started
/// in this process (the embedded mode). Also provisions topics with the configured partition counts.
/// </summary>
public sealed class KafkaConnection : IDisposable
{
    private readonly KafkaOptions _options;
    private readonly ILogger<KafkaConnection> _logger;

    public KafkaConnection(IOptions<KafkaOptions> options, ILogger<KafkaConnection> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (string.IsNullOrWhiteSpace(_options.BootstrapServers))
        {
            MockCluster = new MockKafkaCluster(brokerCount: 3);
            BootstrapServers = MockCluster.BootstrapServers;
            _logger.LogInformation("Kafka: embedded mock cluster at {Bootstrap}", BootstrapServers);
        }
        else
        {
            BootstrapServers = _options.BootstrapServers;
            _logger.LogInformation("Kafka: brokers at {Bootstrap}", BootstrapServers);
        }
    }

    public string BootstrapServers { get; }

    /// <summary>The in-process mock cluster in embedded mode; null against real brokers.</summary>
    public MockKafkaCluster? MockCluster { get; }

    public bool IsEmbedded => MockCluster is not null;

    /// <summary>Creates the topics that do not exist yet. forecasts.demand is compacted: readers want the latest forecast per SKU.</summary>
    public async Task EnsureTopicsAsync(IEnumerable<string> topics, CancellationToken ct = default)
    {
        var wanted = topics.Distinct().ToList();
        if (MockCluster is not null)
        {
            foreach (var topic in wanted)
            {
                MockCluster.CreateTopic(topic, _options.PartitionsFor(topic), _options.ReplicationFactor);
            }

            return;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        // Only create what is missing: clusters where topics are provisioned by their operators (and brokers that do not
        // offer the admin API, such as another process's mock cluster) then need no create rights at all.
        var existing = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics
            .Where(t => !t.Error.IsError && t.Partitions.Count > 0)
            .Select(t => t.Topic)
            .ToHashSet();
        wanted.RemoveAll(existing.Contains);
        if (wanted.Count == 0)
        {
            return;
        }

        var specs = wanted.Select(topic => new TopicSpecification
        {
            Name = topic,
            NumPartitions = _options.PartitionsFor(topic),
            ReplicationFactor = _options.ReplicationFactor,
            Configs = topic == Topics.ForecastsDemand ? new() { ["cleanup.policy"] = "compact" } : null,
        }).ToList();
        try
        {
            await admin.CreateTopicsAsync(specs).WaitAsync(ct);
        }
        catch (CreateTopicsException ex)
        {
            foreach (var result in ex.Results.Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists)))
            {
                throw new InvalidOperationException($"creating topic {result.Topic}: {result.Error.Reason}", ex);
            }
        }

        foreach (var spec in specs)
        {
            _logger.LogDebug("Topic {Topic} ready with {Partitions} partitions", spec.Name, spec.NumPartitions);
        }
    }

    public void Dispose() => MockCluster?.Dispose();
}
