namespace Platform.Inference;

/// <summary>GET /inference/model: what is served and what was refused.</summary>
/// <param name="Version">Registry version served ("v0003"); null before the first load.</param>
/// <param name="ExecutionProvider">CUDAExecutionProvider or CPUExecutionProvider.</param>
/// <param name="CudaFallbackReason">Why CUDA was asked for and not used; null otherwise.</param>
/// <param name="PinnedVersion">Inference:ModelVersion when set (a rollback).</param>
/// <param name="Refused">Refused versions and why (feature_schema_mismatch, window_too_short, not_hourly, not_found, load_failed).</param>
/// <param name="QueuedRows">Rows waiting in the batching queue.</param>
public sealed record ModelStatus(
    string? Version,
    string? ExecutionProvider,
    string? CudaFallbackReason,
    int? PinnedVersion,
    IReadOnlyDictionary<string, string> Refused,
    int QueuedRows);
