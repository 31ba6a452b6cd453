namespace Platform.Inference.Scoring;

/// <summary>Dynamic batching, after Triton's: a batch runs when it holds <see cref="MaxBatchSize"/> rows or its oldest row has waited <see cref="MaxQueueDelay"/>.</summary>
public sealed record MicroBatcherOptions
{
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>Longest the first row of a batch waits for more; zero runs whatever is queued at once.</summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Rows that may wait; a submitter waits while the queue is full (back-pressure, not unbounded memory).</summary>
    public int QueueCapacity { get; init; } = 8192;

    /// <summary>Requests kept for reuse after they are returned.</summary>
    public int PoolSize { get; init; } = 16_384;

    public void Validate()
    {
        if (MaxBatchSize < 1 || QueueCapacity < 1 || PoolSize < 0 || MaxQueueDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("MaxBatchSize and QueueCapacity must be at least 1, PoolSize and MaxQueueDelay not negative.");
        }
    }
}
