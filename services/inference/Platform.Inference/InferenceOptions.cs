using System.ComponentModel.DataAnnotations;

namespace Platform.Inference;

/// <summary>Inference settings, section "Inference" (docs/inference.md has the table).</summary>
public sealed class InferenceOptions : IValidatableObject
{
    public const string SectionName = "Inference";

    /// <summary>Folder of model versions (v0001/{model.onnx, metadata.json}, …), as `platform train --output` writes it.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Inference:ModelRegistry must name the model registry folder.")]
    public string ModelRegistry { get; set; } = "";

    /// <summary>Serve this version and no other (a rollback); empty serves the newest version that loads.</summary>
    [Range(1, int.MaxValue)]
    public int? ModelVersion { get; set; }

    /// <summary>How often the registry is checked for a new version (or a changed pin).</summary>
    public TimeSpan ModelPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Feature schema hash models must have been trained against; empty uses the running feature schema's.</summary>
    public string? FeatureSchemaHash { get; set; }

    /// <summary>Ask for ONNX Runtime's CUDA execution provider; without a usable GPU the session runs on the CPU and says why.</summary>
    public bool PreferCuda { get; set; } = true;

    public int CudaDeviceId { get; set; }

    /// <summary>ONNX Runtime threads inside one operator; 0 lets it choose.</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>Most rows one ONNX Runtime call scores (Triton's max_batch_size).</summary>
    [Range(1, 65_536)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Longest a row waits for its batch to fill before the partial batch runs (Triton's max_queue_delay).</summary>
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Rows that may wait in the queue; submitters wait when it is full.</summary>
    [Range(1, 10_000_000)]
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>Hours of each SKU's demand window the feature store writes (FeatureStore:DemandWindowHours); a model needing more is refused.</summary>
    [Range(1, Platform.Features.PartitionFeatureAggregator.MaxDemandWindowHours)]
    public int DemandWindowHours { get; set; } = 168;

    /// <summary>Redis of the online store ("host:port[,options]"); empty reads the in-process store (embedded mode).</summary>
    public string? Redis { get; set; }

    public string ConsumerGroup { get; set; } = "inference";

    /// <summary>Most records per consumer batch; the SKUs they touch are read and scored together.</summary>
    [Range(1, 1_000_000)]
    public int MaxRecordsPerBatch { get; set; } = 2000;

    /// <summary>Longest a consumer batch waits to fill.</summary>
    public TimeSpan BatchWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a batch waits for a first model to be loaded before it fails (and is retried by the consumer host).</summary>
    public TimeSpan ModelWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public AnomalyOptions Anomalies { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ModelPollInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Inference:ModelPollInterval must be positive.", [nameof(ModelPollInterval)]);
        }

        if (MaxQueueDelay < TimeSpan.Zero || MaxQueueDelay > TimeSpan.FromSeconds(10))
        {
            yield return new ValidationResult("Inference:MaxQueueDelay must be between 0 and 10 seconds.", [nameof(MaxQueueDelay)]);
        }

        if (BatchWait <= TimeSpan.Zero || ModelWaitTimeout < TimeSpan.Zero)
        {
            yield return new ValidationResult("Inference:BatchWait must be positive and Inference:ModelWaitTimeout not negative.", [nameof(BatchWait)]);
        }

        foreach (var result in Anomalies.Validate())
        {
            yield return result;
        }
    }
}
