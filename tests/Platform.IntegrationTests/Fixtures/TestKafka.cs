using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Platform.Kafka;
using Platform.Testing;
using Testcontainers.Kafka;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>
/// A Kafka-protocol broker of a test's own: a Testcontainers Kafka when a Docker engine is reachable, else
/// librdkafka's mock cluster in this process. One per test, so services with fixed topic names never see
/// another test's records.
/// </summary>
public sealed class TestKafka : IAsyncDisposable
{
    private readonly MockKafkaCluster? _mock;
    private readonly KafkaContainer? _container;

    private TestKafka(MockKafkaCluster? mock, KafkaContainer? container, string bootstrap)
    {
        _mock = mock;
        _container = container;
        BootstrapServers = bootstrap;
    }

    public string BootstrapServers { get; }

    public MockKafkaCluster? Mock => _mock;

    public static async Task<TestKafka> StartAsync()
    {
        if (DockerEngine.IsReachable)
        {
            var container = new KafkaBuilder("apache/kafka:4.1.0").Build();
            await container.StartAsync();
            return new TestKafka(null, container, container.GetBootstrapAddress());
        }

        var mock = new MockKafkaCluster(brokerCount: 3);
        return new TestKafka(mock, null, mock.BootstrapServers);
    }

    public async Task CreateTopicAsync(string topic, int partitions)
    {
        if (_mock is not null)
        {
            _mock.CreateTopic(topic, partitions);
            return;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    public IProducer<byte[]?, byte[]?> CreateProducer() =>
        new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 2 })
            .SetLogHandler((_, _) => { })
            .Build();

    public async ValueTask DisposeAsync()
    {
        _mock?.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
