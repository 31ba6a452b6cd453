namespace Platform.OnlineStore.Tests;

/// <summary>A clock that moves only when told, for both wall time and timestamps.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _elapsedTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(Volatile.Read(ref _elapsedTicks));

    public override long GetTimestamp() => Volatile.Read(ref _elapsedTicks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _elapsedTicks, by.Ticks);
}
