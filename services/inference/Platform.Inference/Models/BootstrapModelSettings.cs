namespace Platform.Inference.Models;

/// <summary>How <see cref="BootstrapModel"/> trains: small enough for seconds on two cores, large enough to follow daily and weekly cycles.</summary>
public sealed record BootstrapModelSettings
{
    /// <summary>Hours of history per row: a week, as the production model and the feature store's window.</summary>
    public int Lookback { get; init; } = 168;

    public int Horizon { get; init; } = 24;

    /// <summary>Train on the SKUs with the most order lines.</summary>
    public int TopSkus { get; init; } = 300;

    public int Hidden { get; init; } = 32;

    public int Epochs { get; init; } = 8;

    public int SamplesPerEpoch { get; init; } = 8192;

    public ulong Seed { get; init; } = 42;
}
