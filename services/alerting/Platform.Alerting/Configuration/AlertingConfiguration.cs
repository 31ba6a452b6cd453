namespace Platform.Alerting.Configuration;

/// <summary>A validated, compiled alerting configuration: immutable, swapped as a whole on reload.</summary>
public sealed class AlertingConfiguration
{
    public const string DefaultPagerDutyUrl = "https://events.pagerduty.com/v2/enqueue";

    public static readonly TimeSpan DefaultResolveTimeout = TimeSpan.FromMinutes(5);

    public required AlertRoute Route { get; init; }

    public required IReadOnlyDictionary<string, Receiver> Receivers { get; init; }

    public required IReadOnlyList<InhibitRule> InhibitRules { get; init; }

    public TimeSpan ResolveTimeout { get; init; } = DefaultResolveTimeout;

    /// <summary>Where it came from ("file /etc/alerting.yml", "inline", "built-in default").</summary>
    public required string Origin { get; init; }

    /// <summary>SHA-256 of the text it was compiled from; a reload with the same text changes nothing.</summary>
    public required string Hash { get; init; }

    public DateTimeOffset LoadedAt { get; init; }
}
