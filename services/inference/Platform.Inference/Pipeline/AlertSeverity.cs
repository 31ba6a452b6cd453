namespace Platform.Inference.Pipeline;

/// <summary>The contract's severities ("critical", "warning") from a score.</summary>
internal static class AlertSeverity
{
    public const string Critical = "critical";
    public const string Warning = "warning";

    public static string For(double score, double critical) => score >= critical ? Critical : Warning;
}
