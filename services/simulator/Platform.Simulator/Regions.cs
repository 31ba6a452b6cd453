namespace Platform.Simulator;

/// <summary>Region and channel names of simulated orders.</summary>
public static class Regions
{
    private static readonly string[] Named =
    [
        "eu-west", "eu-central", "us-east", "us-west", "eu-north", "ap-southeast",
        "ap-northeast", "sa-east", "ca-central", "ap-south", "me-central", "af-south",
    ];

    public static readonly IReadOnlyList<string> Channels = ["web", "app", "marketplace", "phone"];

    internal static readonly double[] ChannelWeights = [0.50, 0.30, 0.15, 0.05];

    public static IReadOnlyList<string> Names(int count) =>
        Enumerable.Range(0, count).Select(i => i < Named.Length ? Named[i] : $"region-{i + 1}").ToArray();

    /// <summary>Share of orders per region: geometric, the first region the largest (like a shop's home market).</summary>
    internal static double[] Weights(int count) => Enumerable.Range(0, count).Select(i => Math.Pow(0.55, i)).ToArray();
}
