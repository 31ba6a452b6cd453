namespace Platform.Forecasting.Registry;

/// <summary>A registered model was trained against a different feature schema than the one running now.</summary>
public sealed class FeatureSchemaMismatchException : InvalidOperationException
{
    public FeatureSchemaMismatchException(int version, string modelHash, string runningHash)
        : base(
            $"Model version v{version:D4} was trained with feature schema hash '{modelHash}', but the running feature store's schema hash is " +
            $"'{runningHash}'. Retrain the model against the current feature schema, or load a version trained with '{runningHash}'.")
    {
        Version = version;
        ModelHash = modelHash;
        RunningHash = runningHash;
    }

    public int Version { get; }

    public string ModelHash { get; }

    public string RunningHash { get; }
}
