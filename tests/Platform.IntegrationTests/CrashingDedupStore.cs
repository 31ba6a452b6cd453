using Platform.Ingestion.Dedup;

namespace Platform.IntegrationTests;

/// <summary>
/// Wraps the real dedup store and fails on chosen calls to <see cref="AddAsync"/>, after the inner write: the
/// moment a process dies once its outputs are acknowledged and remembered but before its offsets are committed.
/// </summary>
internal sealed class CrashingDedupStore(IOrderDedupStore inner, Func<int, bool> crashOnCall) : IOrderDedupStore
{
    private int _calls;

    public Task<bool[]> ContainsAsync(IReadOnlyList<string> keys, CancellationToken ct = default) => inner.ContainsAsync(keys, ct);

    public async Task AddAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        await inner.AddAsync(keys, ct);
        if (crashOnCall(Interlocked.Increment(ref _calls)))
        {
            throw new SimulatedCrashException();
        }
    }
}

internal sealed class SimulatedCrashException() : Exception("simulated crash before the offset commit");

/// <summary>A dedup store that is down (as Redis can be): every lookup fails, before any output is produced.</summary>
internal sealed class UnavailableDedupStore(Action onCall) : IOrderDedupStore
{
    public Task<bool[]> ContainsAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        onCall();
        throw new TimeoutException("dedup store unavailable");
    }

    public Task AddAsync(IReadOnlyList<string> keys, CancellationToken ct = default) => throw new TimeoutException("dedup store unavailable");
}
