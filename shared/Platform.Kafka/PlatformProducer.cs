using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Kafka;

/// <summary>
/// The process's one Kafka producer: idempotent (enable.idempotence, acks=all), so retries inside
/// librdkafka never duplicate or reorder records of a partition. Shared by every consumer host and
/// HTTP endpoint in the process.
/// </summary>
public sealed class PlatformProducer : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly ILogger<PlatformProducer> _logger;

    // Calls into librdkafka in progress, and whether Dispose began: a produce on a destroyed handle is a native
    // use-after-free that kills the process, so every call registers first and Dispose waits for them to leave.
    private int _calls;
    private int _closing;

    public PlatformProducer(KafkaConnection connection, IOptions<KafkaOptions> options, ILogger<PlatformProducer> logger)
    {
        _logger = logger;
        var config = new ProducerConfig
        {
            BootstrapServers = connection.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            ClientId = $"{AppDomain.CurrentDomain.FriendlyName}-producer",
        };
        foreach (var (key, value) in options.Value.Producer)
        {
            config.Set(key, value);
        }

        _producer = new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, log) => logger.LogDebug("librdkafka producer {Facility}: {Message}", log.Facility, log.Message))
            .Build();
    }

    /// <summary>Set when librdkafka reports a fatal error (for example an idempotence violation); the producer is unusable after it.</summary>
    public Error? FatalError { get; private set; }

    public event Action<Error>? Fatal;

    /// <summary>Produces one record; <paramref name="onDelivered"/> runs on librdkafka's delivery thread.</summary>
    /// <exception cref="ObjectDisposedException">The producer was disposed (the process is shutting down).</exception>
    public void Produce(string topic, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>> onDelivered)
    {
        message.Headers ??= new Headers();
        using var activity = KafkaTracing.StartPublish(topic, message.Headers);
        Enter();
        try
        {
            while (true)
            {
                try
                {
                    _producer.Produce(topic, message, onDelivered);
                    return;
                }
                catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // Back-pressure: the local queue is full, so wait for deliveries instead of failing the batch.
                    _producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Produces one record and waits for the broker's acknowledgement.</summary>
    /// <exception cref="ObjectDisposedException">The producer was disposed (the process is shutting down).</exception>
    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(string topic, Message<byte[]?, byte[]?> message, CancellationToken ct = default)
    {
        message.Headers ??= new Headers();
        using var activity = KafkaTracing.StartPublish(topic, message.Headers);
        Enter();
        try
        {
            // Enqueues synchronously; only the acknowledgement is awaited, which needs no handle of ours.
            return _producer.ProduceAsync(topic, message, ct);
        }
        finally
        {
            Leave();
        }
    }

    public int Flush(TimeSpan timeout)
    {
        Enter();
        try
        {
            return _producer.Flush(timeout);
        }
        finally
        {
            Leave();
        }
    }

    private void Enter()
    {
        Interlocked.Increment(ref _calls);
        if (Volatile.Read(ref _closing) != 0)
        {
            Interlocked.Decrement(ref _calls);
            throw new ObjectDisposedException(nameof(PlatformProducer), "The Kafka producer was disposed: the process is shutting down.");
        }
    }

    private void Leave() => Interlocked.Decrement(ref _calls);

    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            FatalError = error;
            _logger.LogCritical("Kafka producer fatal error {Code}: {Reason}", error.Code, error.Reason);
            Fatal?.Invoke(error);
        }
        else
        {
            _logger.LogWarning("Kafka producer error {Code}: {Reason}", error.Code, error.Reason);
        }
    }

    public void Dispose()
    {
        // Interlocked: a full fence, so a call either sees the flag or is counted before the wait below reads _calls.
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        // Calls that registered before the flag was set finish first (a produce waiting on a full queue included).
        if (!SpinWait.SpinUntil(() => Volatile.Read(ref _calls) == 0, TimeSpan.FromSeconds(10)))
        {
            // Destroying the handle under them would crash the process: leave it to the process's exit instead.
            _logger.LogError("Kafka producer not closed: {Calls} calls were still in librdkafka after 10 s", Volatile.Read(ref _calls));
            return;
        }

        var left = _producer.Flush(TimeSpan.FromSeconds(10));
        if (left > 0)
        {
            _logger.LogError("Kafka producer closed with {Count} records undelivered", left);
        }

        _producer.Dispose();
    }
}
