namespace Platform.Ingestion.Validation.Tests;

/// <summary>A clock that stands still, so that the time rules are deterministic.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
