namespace Platform.Alerting.Model;

/// <summary>
/// Mutes every alert whose labels match all <see cref="Matchers"/> from <see cref="StartsAt"/> until <see cref="EndsAt"/>
/// (Alertmanager's silence). Expiring a silence sets its end to now; it stays listed for the retention period.
/// </summary>
public sealed class Silence
{
    public required string Id { get; init; }

    public required List<SilenceMatcher> Matchers { get; init; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    public required string CreatedBy { get; init; }

    public required string Comment { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsActiveAt(DateTimeOffset now) => StartsAt <= now && now < EndsAt;

    /// <summary>"pending" (starts later), "active" or "expired".</summary>
    public string StatusAt(DateTimeOffset now) => now < StartsAt ? "pending" : now < EndsAt ? "active" : "expired";
}
