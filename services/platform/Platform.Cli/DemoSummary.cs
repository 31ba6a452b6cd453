using System.Text.Json.Serialization;

namespace Platform.Cli;

/// <summary>The demo's closing summary; with --json, the last line of stdout. Later stages add fields.</summary>
public sealed record DemoSummary
{
    public required double DurationSeconds { get; init; }
    public required string Kafka { get; init; }
    public required string DedupStore { get; init; }
    public required long OrdersPublished { get; init; }
    public required long ValidOrdersPublished { get; init; }
    public required long MalformedPublished { get; init; }
    public required long DuplicatesPublished { get; init; }
    public required long OrdersIngested { get; init; }
    public required long OrderLinesValidated { get; init; }
    public required long Rejected { get; init; }
    public required long RejectedWithoutReason { get; init; }
    public required long RejectedWithUnexpectedReason { get; init; }
    public required long Duplicates { get; init; }
    public required long DuplicateLinesOnValidated { get; init; }
    public required long Lost { get; init; }
    public required double OrdersPerSecond { get; init; }
    public required double IngestLagMsP50 { get; init; }
    public required double IngestLagMsP99 { get; init; }
    public required bool Healthy { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DemoSummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
