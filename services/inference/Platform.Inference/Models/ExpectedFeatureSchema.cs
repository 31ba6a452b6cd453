namespace Platform.Inference.Models;

/// <summary>The feature schema hash a model must have been trained against to be served (Inference:FeatureSchemaHash, or the running schema's).</summary>
public sealed record ExpectedFeatureSchema(string Hash);
