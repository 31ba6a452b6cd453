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
    public void Produce(string topic, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>> onDelivered)
    {
        message.Headers ??= new Headers();
        using var activity = KafkaTracing.StartPublish(topic, message.Headers);
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

    /// <summary>Produces one record and waits for the broker's acknowledgement.</summary>
    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(string topic, Message<byte[]?, byte[]?> message, CancellationToken ct = default)
    {
        message.Headers ??= new Headers();
        using var activity = KafkaTracing.StartPublish(topic, message.Headers);
        return _producer.ProduceAsync(topic, message, ct);
    }

    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

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
        var left = _producer.Flush(TimeSpan.FromSeconds(10));
        if (left > 0)
        {
            _logger.LogError("Kafka producer closed with {Count} records undelivered", left);
        }

        _producer.Dispose();
    }
}
