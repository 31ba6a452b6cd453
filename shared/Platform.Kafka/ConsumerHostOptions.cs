namespace Platform.Kafka;

/// <summary>How one <see cref="BatchConsumerHost"/> consumes.</summary>
public sealed class ConsumerHostOptions
{
    /// <summary>Name for logs and metrics, e.g. "ingestion".</summary>
    public required string Name { get; init; }

    public required string GroupId { get; init; }

    public required IReadOnlyList<string> Topics { get; init; }

    public int MaxBatchSize { get; init; } = 500;

    /// <summary>How long to wait for a batch to fill before processing what has arrived.</summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a batch's outputs may take to be acknowledged before the attempt counts as failed.</summary>
    public TimeSpan OutputAckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per batch before the host gives up and stops the application (the orchestrator restarts it).</summary>
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Topics the handler produces to. When set, outputs carry their provenance and a crash or failed attempt never
    /// produces an output twice (see <see cref="OutputRecovery"/>); empty turns that off.
    /// </summary>
    public IReadOnlyList<string> OutputTopics { get; init; } = [];

    /// <summary>
    /// How often output checkpoints are stored. Longer means fewer writes and a longer scan after a crash (about this
    /// interval's worth of output).
    /// </summary>
    public TimeSpan OutputCheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest a recovery scan may take before the host gives up and fails (processing blind would duplicate).</summary>
    public TimeSpan OutputRecoveryTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
