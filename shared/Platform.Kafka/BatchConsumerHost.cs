using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Kafka;

/// <summary>
/// Consumes in batches and commits input offsets only after the batch's outputs are acknowledged by Kafka,
/// so an output is never lost behind a committed offset (at-least-once; handlers make effects idempotent).
/// </summary>
/// <remarks>
/// <para>Rebalances: librdkafka calls the revoke handler from inside Consume on this thread, so a batch that is
/// being processed has always finished and committed before partitions can be revoked; records collected for a
/// batch that has not started are abandoned for revoked partitions (their offsets are never committed, so the
/// new owner reads them again).</para>
/// <para>Shutdown drains: the current batch finishes, its outputs are acknowledged and committed, then the
/// consumer leaves the group. Fatal errors (a fatal librdkafka error, or a batch failing
/// <see cref="ConsumerHostOptions.MaxAttempts"/> times) are logged and stop the application, so the
/// orchestrator restarts it instead of leaving a dead loop in a live process.</para>
/// </remarks>
public sealed class BatchConsumerHost : BackgroundService
{
    private readonly ConsumerHostOptions _options;
    private readonly IBatchHandler _handler;
    private readonly PlatformProducer _producer;
    private readonly KafkaConnection _connection;
    private readonly KafkaOptions _kafkaOptions;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly OutputRecovery _recovery;
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _collecting = [];
    private readonly HashSet<TopicPartition> _assigned = [];
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private volatile Error? _fatalError;
    private long _lag;
    private IReadOnlyList<(TopicPartition Partition, long Lag)> _partitionLags = [];

    public BatchConsumerHost(
        ConsumerHostOptions options,
        IBatchHandler handler,
        PlatformProducer producer,
        KafkaConnection connection,
        IOptions<KafkaOptions> kafkaOptions,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory,
        IOutputCheckpointStore? checkpoints = null)
    {
        _options = options;
        _handler = handler;
        _producer = producer;
        _connection = connection;
        _kafkaOptions = kafkaOptions.Value;
        _lifetime = lifetime;
        _logger = loggerFactory.CreateLogger($"{typeof(BatchConsumerHost).FullName}.{options.Name}");
        _tag = new("consumer", options.Name);
        _producer.Fatal += error => _fatalError ??= error;
        _recovery = new OutputRecovery(options, checkpoints ?? new InMemoryOutputCheckpointStore(), ScannerConfig, _logger, _tag);
    }

    public string Name => _options.Name;

    /// <summary>
    /// Stops the consuming thread and waits for it (at most <see cref="DisposeWait"/>). A host disposed without
    /// StopAsync, or whose stop timed out, still has that thread draining its batch; the producer and stores it uses are
    /// disposed right after this service (they were created before it), and a produce on a destroyed librdkafka handle
    /// crashes the whole process rather than throwing.
    /// </summary>
    public override void Dispose()
    {
        base.Dispose();
        if (ExecuteTask is { IsCompleted: false } running && !running.Wait(DisposeWait))
        {
            _logger.LogError("Consumer {Name} still running {Seconds} s after disposal; its producer is disposed under it", Name, DisposeWait.TotalSeconds);
        }
    }

    /// <summary>How long <see cref="Dispose"/> waits for the consuming thread: as long as the host's default shutdown timeout.</summary>
    public static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(30);

    /// <summary>Records behind the high watermark over the assigned partitions, as of the last batch.</summary>
    public long Lag => Interlocked.Read(ref _lag);

    /// <summary>Records behind the high watermark per assigned partition, as of the last batch (the lag autoscalers and dashboards read per partition).</summary>
    public IReadOnlyList<(TopicPartition Partition, long Lag)> PartitionLags => Volatile.Read(ref _partitionLags);

    /// <summary>Number of partitions currently assigned (readiness).</summary>
    public int AssignedPartitions { get; private set; }

    public long RecordsProcessed { get; private set; }

    /// <summary>Why the host stopped the application, if it did.</summary>
    public Exception? Fault { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Consume blocks and the rebalance callbacks run on the consuming thread: give it a thread of its own.
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        KafkaMetrics.Track(this);
        try
        {
            using var consumer = BuildConsumer();
            _consumer = consumer;
            consumer.Subscribe(_options.Topics);
            _logger.LogInformation("Consumer {Name} subscribed to {Topics} as group {Group}", Name, string.Join(",", _options.Topics), _options.GroupId);

            while (!stoppingToken.IsCancellationRequested)
            {
                ThrowIfFatal();
                var batch = CollectBatch(consumer, stoppingToken);
                if (batch.Count == 0)
                {
                    UpdateLag(consumer);
                    continue;
                }

                // Not cancelled by stoppingToken: a batch that started is finished and committed (drain),
                // unless it is failing and the host is asked to stop: then it is left uncommitted for the next owner.
                if (!ProcessWithRetry(batch, stoppingToken))
                {
                    break;
                }

                Commit(consumer, batch);
                RecordsProcessed += batch.Count;
                UpdateLag(consumer);
            }

            // Leave a fresh checkpoint behind so the next owner's recovery scan is short.
            _recovery.AfterCommit(consumer, [], _assigned, force: true);
            _logger.LogInformation("Consumer {Name} drained; leaving the group", Name);
            consumer.Close();
        }
        catch (Exception ex)
        {
            Fault = ex;
            KafkaMetrics.FatalErrors.Add(1, _tag);
            _logger.LogCritical(ex, "Consumer {Name} failed fatally; stopping the application so it can be restarted", Name);
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
        }
        finally
        {
            _consumer = null;
            KafkaMetrics.Untrack(this);
        }
    }

    private ConsumerConfig ScannerConfig()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _connection.BootstrapServers,
            // Only assign() is used: the group id is never joined nor committed to.
            GroupId = $"{_options.GroupId}.output-recovery",
            ClientId = $"{_options.Name}-recovery-{Environment.MachineName}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadUncommitted,
        };
        return config;
    }

    private IConsumer<byte[]?, byte[]?> BuildConsumer()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _connection.BootstrapServers,
            GroupId = _options.GroupId,
            ClientId = $"{_options.Name}-{Environment.MachineName}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
            FetchWaitMaxMs = 50,
        };
        foreach (var (key, value) in _kafkaOptions.Consumer)
        {
            config.Set(key, value);
        }

        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, log) => OnLibrdkafkaLog(log))
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition), "revoked"))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition), "lost"))
            .Build();
    }

    private List<ConsumeResult<byte[]?, byte[]?>> CollectBatch(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        _collecting.Clear();
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.MaxBatchWait.TotalSeconds * Stopwatch.Frequency);
        while (_collecting.Count < _options.MaxBatchSize && !stoppingToken.IsCancellationRequested)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (_collecting.Count > 0 && remaining <= TimeSpan.Zero)
            {
                break;
            }

            ConsumeResult<byte[]?, byte[]?>? record;
            try
            {
                // An empty batch waits the full interval so an idle consumer does not spin.
                record = consumer.Consume(remaining > TimeSpan.Zero ? remaining : _options.MaxBatchWait);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                _logger.LogWarning("Consumer {Name}: {Code} {Reason}", Name, ex.Error.Code, ex.Error.Reason);
                continue;
            }

            if (record is null)
            {
                if (_collecting.Count > 0 || remaining <= TimeSpan.Zero)
                {
                    break;
                }

                continue;
            }

            if (record.IsPartitionEOF)
            {
                continue;
            }

            _collecting.Add(record);
        }

        return [.. _collecting];
    }

    /// <returns>false when the batch was given up because the host is stopping.</returns>
    private bool ProcessWithRetry(List<ConsumeResult<byte[]?, byte[]?>> batch, CancellationToken stoppingToken)
    {
        var delay = _options.InitialRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            ThrowIfFatal();
            var started = Stopwatch.GetTimestamp();
            var output = new OutputBatch(_producer, _recovery.Enabled ? _recovery : null);
            try
            {
                if (attempt > 1)
                {
                    // The failed attempt may have put some outputs into Kafka: find them so they are not produced twice.
                    _recovery.Recover(_consumer!, batch.Select(r => r.TopicPartition).Distinct().Where(_assigned.Contains).ToList());
                }

                _handler.HandleAsync(batch, output, CancellationToken.None).GetAwaiter().GetResult();
                output.WhenAcknowledgedAsync(_options.OutputAckTimeout).GetAwaiter().GetResult();
                if (output.DeadLettered > 0)
                {
                    KafkaMetrics.DeadLettered.Add(output.DeadLettered, _tag);
                }

                KafkaMetrics.RecordsConsumed.Add(batch.Count, _tag);
                KafkaMetrics.BatchSize.Record(batch.Count, _tag);
                KafkaMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _tag);
                return true;
            }
            catch (Exception ex) when (attempt < _options.MaxAttempts && _fatalError is null)
            {
                KafkaMetrics.BatchRetries.Add(1, _tag);
                // Let what the failed attempt produced settle (acknowledged or failed) before the next attempt looks for it.
                SettleQuietly(output);
                _logger.LogWarning(ex, "Consumer {Name}: batch of {Count} failed (attempt {Attempt}/{Max}); retrying in {Delay} ms",
                    Name, batch.Count, attempt, _options.MaxAttempts, delay.TotalMilliseconds);
                if (stoppingToken.WaitHandle.WaitOne(delay))
                {
                    _logger.LogWarning("Consumer {Name}: stopping with a failing batch of {Count}; it stays uncommitted and will be redelivered", Name, batch.Count);
                    return false;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }

    private void SettleQuietly(OutputBatch output)
    {
        try
        {
            output.WhenAcknowledgedAsync(_options.OutputAckTimeout).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // The attempt already failed and was logged; only the waiting matters here.
        }
    }

    private void Commit(IConsumer<byte[]?, byte[]?> consumer, List<ConsumeResult<byte[]?, byte[]?>> batch)
    {
        var offsets = batch
            .GroupBy(r => r.TopicPartition)
            .Where(g => _assigned.Contains(g.Key))
            .Select(g => new TopicPartitionOffset(g.Key, new Offset(g.Max(r => r.Offset.Value) + 1)))
            .ToList();
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets);
            _recovery.AfterCommit(consumer, offsets, _assigned);
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            // The group moved on (rebalance): the new owner reprocesses from the last commit and the
            // handler's idempotence absorbs the repeat. Nothing is lost by not committing.
            KafkaMetrics.CommitFailures.Add(1, _tag);
            _logger.LogWarning("Consumer {Name}: commit failed ({Code} {Reason}); the records will be redelivered", Name, ex.Error.Code, ex.Error.Reason);
        }
    }

    private void OnAssigned(List<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _assigned.Add(partition);
        }

        AssignedPartitions = _assigned.Count;
        _logger.LogInformation("Consumer {Name}: assigned {Partitions}", Name, string.Join(",", partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]")));
        // Before the first record of these partitions is processed: what did a crashed predecessor already produce?
        _recovery.Recover(_consumer!, partitions);
        (_handler as IPartitionAwareBatchHandler)?.OnPartitionsAssigned(partitions);
    }

    private void OnRevoked(IEnumerable<TopicPartition> partitions, string how)
    {
        var revoked = partitions.ToHashSet();
        _assigned.ExceptWith(revoked);
        _recovery.Forget(revoked);
        (_handler as IPartitionAwareBatchHandler)?.OnPartitionsRevoked(revoked);
        AssignedPartitions = _assigned.Count;
        var abandoned = _collecting.RemoveAll(r => revoked.Contains(r.TopicPartition));
        if (abandoned > 0)
        {
            KafkaMetrics.AbandonedOnRevoke.Add(abandoned, _tag);
        }

        _logger.LogInformation("Consumer {Name}: partitions {How} {Partitions}; {Abandoned} uncommitted records left to the next owner",
            Name, how, string.Join(",", revoked.Select(p => $"{p.Topic}[{p.Partition.Value}]")), abandoned);
    }

    private void OnLibrdkafkaLog(LogMessage log)
    {
        // An offset reset after an error (offset out of range: the log was truncated by retention before this consumer
        // read it) skips records. librdkafka only logs it; make it a warning and a metric so it cannot pass unseen.
        if (log.Facility == "OFFSET" && log.Message.Contains("offset reset", StringComparison.OrdinalIgnoreCase) && log.Level <= SyslogLevel.Warning)
        {
            KafkaMetrics.OffsetResets.Add(1, _tag);
            _logger.LogWarning("Consumer {Name}: {Message}; records between the two offsets were skipped", Name, log.Message);
            return;
        }

        if (log.Level <= SyslogLevel.Warning)
        {
            _logger.LogWarning("librdkafka {Facility}: {Message}", log.Facility, log.Message);
        }
        else
        {
            _logger.LogDebug("librdkafka {Facility}: {Message}", log.Facility, log.Message);
        }
    }

    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            _fatalError = error;
            _logger.LogCritical("Consumer {Name} fatal error {Code}: {Reason}", Name, error.Code, error.Reason);
        }
        else
        {
            _logger.LogWarning("Consumer {Name} error {Code}: {Reason}", Name, error.Code, error.Reason);
        }
    }

    private void ThrowIfFatal()
    {
        if (_fatalError is { } error)
        {
            throw new KafkaException(error);
        }
    }

    private void UpdateLag(IConsumer<byte[]?, byte[]?> consumer)
    {
        long lag = 0;
        var lags = new List<(TopicPartition, long)>(_assigned.Count);
        foreach (var partition in _assigned)
        {
            // Cached watermarks from the last fetch: no broker round trip.
            var watermarks = consumer.GetWatermarkOffsets(partition);
            var position = consumer.Position(partition);
            if (watermarks.High.Value >= 0 && position.Value >= 0)
            {
                var behind = Math.Max(0, watermarks.High.Value - position.Value);
                lag += behind;
                lags.Add((partition, behind));
            }
        }

        Interlocked.Exchange(ref _lag, lag);
        // Read by the metrics collector on another thread: publish a new list, never change the one it may be reading.
        Volatile.Write(ref _partitionLags, lags);
    }
}
