namespace Platform.Ingestion.Dedup;

/// <summary>
/// Remembers which orders were accepted, for a bounded window, so that a redelivered or re-sent order is
/// accepted once. Shared across instances and restarts when backed by Redis; the in-memory store serves
/// the single-process embedded mode. Both pass the same contract tests.
/// </summary>
public interface IOrderDedupStore
{
    /// <summary>For each key, whether it was recorded (one round trip for the whole batch).</summary>
    Task<bool[]> ContainsAsync(IReadOnlyList<string> keys, CancellationToken ct = default);

    /// <summary>Records the keys for the dedup window.</summary>
    Task AddAsync(IReadOnlyList<string> keys, CancellationToken ct = default);
}
