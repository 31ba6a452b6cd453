using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>Reads a topic from the beginning in a fresh group, as a downstream consumer would.</summary>
/// <remarks>
/// A test may read on a background task and dispose the reader when an assertion fails on its own thread: each consume
/// holds <see cref="_gate"/> and <see cref="Dispose"/> takes it, so the consumer is never destroyed under a consume
/// (a native use-after-free would take the whole test host down instead of failing the one test).
/// </remarks>
public sealed class TopicReader : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly Lock _gate = new();
    private bool _disposed;

    public TopicReader(TestKafka kafka, params string[] topics)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).SetLogHandler((_, _) => { }).Build();
        _consumer.Subscribe(topics);
    }

    public List<ConsumeResult<byte[]?, byte[]?>> Records { get; } = [];

    private int _count;

    /// <summary>Records read so far; safe to read from another thread while a Read method runs.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Reads until <paramref name="done"/> holds over everything read so far, or the deadline passes.</summary>
    public List<ConsumeResult<byte[]?, byte[]?>> ReadUntil(Func<List<ConsumeResult<byte[]?, byte[]?>>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(Records) && DateTime.UtcNow < deadline)
        {
            if (!ConsumeOne())
            {
                break;
            }
        }

        return Records;
    }

    /// <summary>Keeps reading for a quiet period, to catch records that should not be there.</summary>
    public List<ConsumeResult<byte[]?, byte[]?>> ReadFor(TimeSpan period)
    {
        var deadline = DateTime.UtcNow + period;
        while (DateTime.UtcNow < deadline)
        {
            if (!ConsumeOne())
            {
                break;
            }
        }

        return Records;
    }

    /// <returns>False once the reader is disposed.</returns>
    private bool ConsumeOne()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            var record = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is not null && !record.IsPartitionEOF)
            {
                Records.Add(record);
                Interlocked.Increment(ref _count);
            }

            return true;
        }
    }

    public static OrderLineValidated Line(ConsumeResult<byte[]?, byte[]?> record) =>
        JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.OrderLineValidated)!;

    public static OrderRejected Rejected(ConsumeResult<byte[]?, byte[]?> record) =>
        JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.OrderRejected)!;

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _consumer.Close();
            _consumer.Dispose();
        }
    }
}
