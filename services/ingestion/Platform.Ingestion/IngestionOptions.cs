using System.ComponentModel.DataAnnotations;

namespace Platform.Ingestion;

/// <summary>Ingestion settings, section "Ingestion". Validation limits are in "Ingestion:Limits".</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>
    /// Secret key of the customer-id hash (HMAC-SHA256), base64, at least 16 bytes. Keep it stable: the same
    /// customer must hash the same across restarts and instances, and it must not leak, or hashes can be reversed
    /// by trying ids.
    /// </summary>
    [Required(ErrorMessage = "Ingestion:CustomerHashKey is required (base64, >= 16 bytes); set it from a secret")]
    public string CustomerHashKey { get; set; } = "";

    public string ConsumerGroup { get; set; } = "ingestion";

    /// <summary>How long an order id is remembered for deduplication.</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Bound of the in-memory dedup store (embedded mode); the oldest ids are forgotten first.</summary>
    [Range(1_000, 100_000_000)]
    public int InMemoryDedupCapacity { get; set; } = 2_000_000;

    /// <summary>Redis "host:port[,options]" for shared dedup state; empty uses the in-memory store (one process only).</summary>
    public string? Redis { get; set; }

    /// <summary>Most orders accepted in one POST /orders.</summary>
    [Range(1, 100_000)]
    public int MaxOrdersPerRequest { get; set; } = 1000;
}
