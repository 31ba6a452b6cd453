using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Platform.Kafka;

/// <summary>
/// Makes a consumer host's outputs exactly-once across crashes without Kafka transactions: after a crash (or a failed
/// attempt) it finds the outputs that uncommitted input records already produced, by their <see cref="SourceHeader"/>,
/// so that reprocessing those records produces only what is missing.
/// </summary>
/// <remarks>
/// <para>Why not transactions: read_committed consumers would be needed everywhere, and the embedded broker (librdkafka's
/// mock cluster) does not hide aborted records, so the guarantee could not be tested where the platform runs by default.</para>
/// <para>How: after commits, at most every <see cref="ConsumerHostOptions.OutputCheckpointInterval"/>, the host stores the
/// end offsets of every output partition (<see cref="IOutputCheckpointStore"/>). At that moment nothing past the committed
/// offsets has produced anything, so every later output of those input partitions lies after the stored ends. When a
/// partition is assigned, the host reads the output partitions from the stored ends to their current ends and keeps the
/// (offset, sequence) of outputs whose source is at or past the committed offset.</para>
/// <para>Limit: this relies on the previous owner having stopped producing (crashed, or shut down). A live "zombie" that
/// lost its partitions but still has produce requests in flight after the scan can still duplicate; Kafka transactions with
/// producer fencing are the cure on a real cluster.</para>
/// </remarks>
internal sealed class OutputRecovery(
    ConsumerHostOptions options,
    IOutputCheckpointStore store,
    Func<ConsumerConfig> scannerConfig,
    ILogger logger,
    KeyValuePair<string, object?> tag)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<TopicPartition, HashSet<(long Offset, int Sequence)>> _alreadyProduced = [];
    private long? _lastCheckpoint;

    public bool Enabled => options.OutputTopics.Count > 0;

    /// <summary>True when the output <paramref name="sequence"/> of the record at <paramref name="offset"/> is already in Kafka.</summary>
    public bool IsAlreadyProduced(TopicPartition input, long offset, int sequence) =>
        _alreadyProduced.TryGetValue(input, out var produced) && produced.Contains((offset, sequence));

    /// <summary>Scans the outputs for records of <paramref name="partitions"/> past their committed offsets. Runs on the consuming thread.</summary>
    public void Recover(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyCollection<TopicPartition> partitions)
    {
        if (!Enabled || partitions.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var committed = consumer.Committed(partitions, QueryTimeout)
            .ToDictionary(c => c.TopicPartition, c => c.Offset.Value < 0 ? 0L : c.Offset.Value);
        var starts = new Dictionary<TopicPartition, long>();
        var missing = 0;
        foreach (var partition in partitions)
        {
            var checkpoint = store.GetAsync(options.GroupId, partition).GetAwaiter().GetResult();
            if (checkpoint is null)
            {
                // Never committed: the group starts on this partition now, nothing can be waiting in the outputs.
                if (committed.GetValueOrDefault(partition) > 0)
                {
                    missing++;
                }

                continue;
            }

            foreach (var output in OutputPartitions(consumer))
            {
                // An output partition missing from the checkpoint was created after it: read it whole.
                var start = checkpoint.TryGetValue(output, out var end) ? end : 0L;
                starts[output] = starts.TryGetValue(output, out var earlier) ? Math.Min(earlier, start) : start;
            }
        }

        if (missing > 0)
        {
            logger.LogWarning(
                "Consumer {Name}: {Missing} of {Count} assigned partitions have committed offsets but no output checkpoint (the checkpoint store was reset, " +
                "or this group ran without one); outputs a crashed predecessor left for them cannot be recognised", options.Name, missing, partitions.Count);
        }
        else if (starts.Count == 0)
        {
            logger.LogInformation("Consumer {Name}: first start of the group on these partitions; nothing to recover", options.Name);
        }

        if (starts.Count > 0)
        {
            var wanted = partitions.ToDictionary(p => (p.Topic, p.Partition.Value), p => (Partition: p, From: committed.GetValueOrDefault(p)));
            var (scanned, found) = Scan(consumer, starts, wanted);
            KafkaMetrics.RecoveredOutputs.Add(found, tag);
            logger.LogInformation(
                "Consumer {Name}: scanned {Scanned} output records in {Ms:F0} ms; {Found} were already produced for uncommitted input of {Partitions} and will not be produced again",
                options.Name, scanned, Stopwatch.GetElapsedTime(started).TotalMilliseconds, found, string.Join(",", partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]")));
        }

        // Checkpoint now, before this instance produces anything for these partitions: a crash before its first commit
        // must leave the next owner a place to scan from. Nothing of ours is in flight, and whatever predecessors wrote is
        // before the current ends (or was just found, which keeps those partitions on their old checkpoint).
        Checkpoint(consumer, partitions);
    }

    /// <summary>Forgets what committed offsets have passed, and stores a checkpoint when one is due.</summary>
    public void AfterCommit(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyCollection<TopicPartitionOffset> committed, IReadOnlyCollection<TopicPartition> assigned, bool force = false)
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var offset in committed)
        {
            if (_alreadyProduced.TryGetValue(offset.TopicPartition, out var produced))
            {
                produced.RemoveWhere(p => p.Offset < offset.Offset.Value);
                if (produced.Count == 0)
                {
                    _alreadyProduced.Remove(offset.TopicPartition);
                }
            }
        }

        // The first commit always checkpoints: until then a crash would leave the next owner nothing to scan from.
        if (!force && _lastCheckpoint is { } last && Stopwatch.GetElapsedTime(last) < options.OutputCheckpointInterval)
        {
            return;
        }

        Checkpoint(consumer, assigned);
    }

    /// <summary>Stores the current output ends for <paramref name="partitions"/>; only call between batches.</summary>
    private void Checkpoint(IConsumer<byte[]?, byte[]?> consumer, IEnumerable<TopicPartition> partitions)
    {
        // A partition with recovered outputs not yet passed by a commit keeps its old checkpoint: a newer one would lie
        // after those outputs, and a crash now would hide them from the next owner.
        var eligible = partitions.Where(p => !_alreadyProduced.ContainsKey(p)).ToList();
        if (eligible.Count == 0)
        {
            return;
        }

        try
        {
            var ends = new Dictionary<TopicPartition, long>();
            foreach (var output in OutputPartitions(consumer))
            {
                ends[output] = consumer.QueryWatermarkOffsets(output, QueryTimeout).High.Value;
            }

            store.SetAsync(options.GroupId, eligible, ends).GetAwaiter().GetResult();
            _lastCheckpoint = Stopwatch.GetTimestamp();
        }
        catch (Exception ex) when (ex is KafkaException or StackExchange.Redis.RedisException or TimeoutException)
        {
            // Not fatal: the previous checkpoint stays valid (older only means a longer scan after a crash).
            KafkaMetrics.CheckpointFailures.Add(1, tag);
            logger.LogWarning(ex, "Consumer {Name}: output checkpoint not stored; the previous one stays in force", options.Name);
        }
    }

    public void Forget(IEnumerable<TopicPartition> revoked)
    {
        foreach (var partition in revoked)
        {
            _alreadyProduced.Remove(partition);
        }
    }

    private List<TopicPartition> OutputPartitions(IConsumer<byte[]?, byte[]?> consumer)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = new List<TopicPartition>();
        foreach (var topic in options.OutputTopics)
        {
            var metadata = admin.GetMetadata(topic, QueryTimeout).Topics.Single(t => t.Topic == topic);
            if (metadata.Error.IsError)
            {
                throw new KafkaException(metadata.Error);
            }

            partitions.AddRange(metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)));
        }

        return partitions;
    }

    private (long Scanned, int Found) Scan(
        IConsumer<byte[]?, byte[]?> consumer,
        Dictionary<TopicPartition, long> starts,
        Dictionary<(string Topic, int Partition), (TopicPartition Partition, long From)> wanted)
    {
        var remaining = new Dictionary<TopicPartition, long>();
        foreach (var (output, start) in starts)
        {
            var end = consumer.QueryWatermarkOffsets(output, QueryTimeout).High.Value;
            if (end > start)
            {
                remaining[output] = end;
            }
        }

        if (remaining.Count == 0)
        {
            return (0, 0);
        }

        using var scanner = new ConsumerBuilder<Ignore, Ignore>(scannerConfig()).Build();
        scanner.Assign(remaining.Keys.Select(p => new TopicPartitionOffset(p, new Offset(starts[p]))));
        var deadline = Stopwatch.GetTimestamp() + (long)(options.OutputRecoveryTimeout.TotalSeconds * Stopwatch.Frequency);
        long scanned = 0;
        var found = 0;
        while (remaining.Count > 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                // Processing without knowing what is already out would duplicate: fail, and let the restart try again.
                throw new TimeoutException($"output recovery scan did not reach the end of {string.Join(",", remaining.Keys)} within {options.OutputRecoveryTimeout}");
            }

            var record = scanner.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
            {
                continue;
            }

            if (!record.IsPartitionEOF)
            {
                scanned++;
                if (SourceHeader.TryParse(record.Message.Headers, out var source)
                    && wanted.TryGetValue((source.Topic, source.Partition), out var input)
                    && source.Offset >= input.From)
                {
                    if (!_alreadyProduced.TryGetValue(input.Partition, out var produced))
                    {
                        _alreadyProduced[input.Partition] = produced = [];
                    }

                    if (produced.Add((source.Offset, source.Sequence)))
                    {
                        found++;
                    }
                }
            }

            if (remaining.TryGetValue(record.TopicPartition, out var stopAt) && record.Offset.Value + (record.IsPartitionEOF ? 0 : 1) >= stopAt)
            {
                remaining.Remove(record.TopicPartition);
            }
        }

        return (scanned, found);
    }
}
