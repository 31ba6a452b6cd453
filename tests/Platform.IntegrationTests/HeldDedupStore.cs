using Platform.Ingestion.Dedup;

namespace Platform.IntegrationTests;

/// <summary>
/// Wraps the real dedup store, passes its first lookup and holds every later one until <see cref="Release"/>: a consumer
/// that finished one batch and is stuck in the next, with the rest of its partition waiting behind it.
/// </summary>
internal sealed class HeldDedupStore(IOrderDedupStore inner) : IOrderDedupStore
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lookups;

    public async Task<bool[]> ContainsAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        if (Interlocked.Increment(ref _lookups) > 1)
        {
            await _released.Task;
        }

        return await inner.ContainsAsync(keys, ct);
    }

    public Task AddAsync(IReadOnlyList<string> keys, CancellationToken ct = default) => inner.AddAsync(keys, ct);

    public void Release() => _released.TrySetResult();
}
