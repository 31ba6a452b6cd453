using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Platform.Contracts;

namespace Platform.Kafka;

/// <summary>
/// The records one input batch produces. The consumer host commits the batch's input offsets only after
/// <see cref="WhenAcknowledgedAsync"/> has seen every one of them acknowledged by Kafka.
/// </summary>
public sealed class OutputBatch
{
    private readonly PlatformProducer _producer;
    private readonly OutputRecovery? _recovery;
    private readonly Dictionary<(TopicPartition Input, long Offset), int> _sequences = [];
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivered;
    private readonly TaskCompletionSource _allDelivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending = 1; // one for the batch itself, released by WhenAcknowledgedAsync
    private Error? _firstError;
    private int _released;

    public OutputBatch(PlatformProducer producer)
        : this(producer, null)
    {
    }

    internal OutputBatch(PlatformProducer producer, OutputRecovery? recovery)
    {
        _producer = producer;
        _recovery = recovery;
        _onDelivered = OnDelivered;
    }

    public int Produced { get; private set; }

    /// <summary>Outputs not produced because an earlier attempt or a crashed predecessor already had (see <see cref="OutputRecovery"/>).</summary>
    public int SkippedAsAlreadyProduced { get; private set; }

    /// <summary>
    /// Produces an output of <paramref name="source"/>, tagged with its provenance (<see cref="SourceHeader"/>). Handlers
    /// produce through this overload so that a redelivered record does not produce again what already reached Kafka.
    /// </summary>
    public void Produce(ConsumeResult<byte[]?, byte[]?> source, string topic, byte[]? key, byte[]? value, Headers? headers = null)
    {
        var input = source.TopicPartition;
        var offset = source.Offset.Value;
        _sequences.TryGetValue((input, offset), out var sequence);
        _sequences[(input, offset)] = sequence + 1;
        if (_recovery?.IsAlreadyProduced(input, offset, sequence) == true)
        {
            SkippedAsAlreadyProduced++;
            return;
        }

        headers ??= [];
        headers.Add(SourceHeader.Name, SourceHeader.Encode(source.Topic, source.Partition.Value, offset, sequence));
        Produce(topic, key, value, headers);
    }

    public int DeadLettered { get; private set; }

    public void Produce(string topic, byte[]? key, byte[]? value, Headers? headers = null)
    {
        if (Volatile.Read(ref _released) == 1)
        {
            throw new InvalidOperationException("the batch's outputs were already awaited; produce before awaiting");
        }

        Interlocked.Increment(ref _pending);
        Produced++;
        _producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers }, _onDelivered);
    }

    /// <summary>
    /// Sends <paramref name="value"/> (by default the source record's own value) to <paramref name="deadLetterTopic"/>
    /// with the reason, source position and exception type in headers, keyed like the source record.
    /// </summary>
    public void DeadLetter(ConsumeResult<byte[]?, byte[]?> source, string deadLetterTopic, string reason, Exception? exception = null, byte[]? value = null)
    {
        var headers = DeadLetterHeadersFor(reason, source.Topic, source.Partition.Value, source.Offset.Value, exception);
        DeadLettered++;
        Produce(source, deadLetterTopic, source.Message.Key, value ?? source.Message.Value, headers);
    }

    public static Headers DeadLetterHeadersFor(string reason, string? sourceTopic, int? partition, long? offset, Exception? exception)
    {
        var headers = new Headers { { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason) } };
        if (sourceTopic is not null)
        {
            headers.Add(DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(sourceTopic));
        }

        if (partition is { } p)
        {
            headers.Add(DeadLetterHeaders.SourcePartition, Encoding.UTF8.GetBytes(p.ToString(CultureInfo.InvariantCulture)));
        }

        if (offset is { } o)
        {
            headers.Add(DeadLetterHeaders.SourceOffset, Encoding.UTF8.GetBytes(o.ToString(CultureInfo.InvariantCulture)));
        }

        if (exception is not null)
        {
            headers.Add(DeadLetterHeaders.ExceptionType, Encoding.UTF8.GetBytes(exception.GetType().FullName ?? exception.GetType().Name));
            var message = exception.Message.Length > 500 ? exception.Message[..500] : exception.Message;
            headers.Add(DeadLetterHeaders.ExceptionMessage, Encoding.UTF8.GetBytes(message));
        }

        return headers;
    }

    /// <summary>
    /// Completes when every record produced so far is acknowledged; throws if any was not. A handler may await
    /// it itself (to record effects only after its outputs are safe); the host awaits it again before committing.
    /// </summary>
    public async Task WhenAcknowledgedAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Release();
        }

        try
        {
            await _allDelivered.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"outputs not acknowledged within {timeout}"));
        }

        if (_firstError is { } error)
        {
            throw new KafkaException(error);
        }
    }

    private void OnDelivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _firstError, report.Error, null);
        }

        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _allDelivered.TrySetResult();
        }
    }
}
