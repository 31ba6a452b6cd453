namespace Platform.Inference.Scoring;

/// <summary>A row reached the model while no model version was loaded (none in the registry, or every one refused).</summary>
public sealed class NoModelLoadedException() : InvalidOperationException("No model version is loaded: the registry holds none that fits the running feature schema.");
