using Confluent.Kafka;

namespace Platform.Inference.Tests;

/// <summary>Reads a topic from the beginning in a fresh group, as a downstream consumer would.</summary>
internal sealed class TopicReader : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;

    public TopicReader(string bootstrap, params string[] topics)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).SetLogHandler((_, _) => { }).Build();
        _consumer.Subscribe(topics);
    }

    public List<ConsumeResult<byte[]?, byte[]?>> Records { get; } = [];

    /// <summary>Reads until <paramref name="done"/> holds over everything read so far, or the deadline passes.</summary>
    public List<ConsumeResult<byte[]?, byte[]?>> ReadUntil(Func<List<ConsumeResult<byte[]?, byte[]?>>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(Records) && DateTime.UtcNow < deadline)
        {
            var record = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is not null && !record.IsPartitionEOF)
            {
                Records.Add(record);
            }
        }

        return Records;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
