using System.ComponentModel.DataAnnotations;

namespace Platform.Ingestion.Validation;

/// <summary>
/// Limits that ingestion enforces on every order event. Bound from the configuration section
/// <see cref="SectionName"/>; string lengths count UTF-16 code units (what .NET's string.Length counts).
/// Implements <see cref="IValidatableObject"/> so that <c>ValidateDataAnnotations().ValidateOnStart()</c>
/// fails a misconfigured service at start; <see cref="OrderValidator"/> checks the same rules in its constructor.
/// </summary>
public sealed class IngestionLimits : IValidatableObject
{
    public const string SectionName = "Ingestion:Limits";

    /// <summary>Largest accepted payload in bytes; checked before parsing.</summary>
    public int MaxPayloadBytes { get; set; } = 65536;

    public int MaxLines { get; set; } = 200;

    public int MaxQuantityPerLine { get; set; } = 10_000;

    public decimal MaxUnitPrice { get; set; } = 1_000_000m;

    /// <summary>Applies to order_id, customer_id, cancels_order_id, and to sku, promotion_id and category of each line.</summary>
    public int MaxIdLength { get; set; } = 64;

    /// <summary>Applies to region and channel.</summary>
    public int MaxLabelLength { get; set; } = 32;

    /// <summary>Events whose occurred_at is older than now minus this are rejected (timestamp_too_old).</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Producer clock skew tolerated before occurred_at counts as in the future (timestamp_in_future).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Problems().Select(p => new ValidationResult(p.Message, [p.Member]));

    /// <summary>Throws <see cref="ArgumentException"/> naming every setting that is out of range.</summary>
    public void EnsureValid()
    {
        var problems = Problems().Select(p => $"{SectionName}:{p.Member}: {p.Message}").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid ingestion limits. " + string.Join(" ", problems));
        }
    }

    private IEnumerable<(string Member, string Message)> Problems()
    {
        if (MaxPayloadBytes < 2)
        {
            yield return (nameof(MaxPayloadBytes), "must be at least 2 bytes.");
        }

        if (MaxLines < 1)
        {
            yield return (nameof(MaxLines), "must be at least 1.");
        }

        if (MaxQuantityPerLine < 1)
        {
            yield return (nameof(MaxQuantityPerLine), "must be at least 1.");
        }

        if (MaxUnitPrice < 0)
        {
            yield return (nameof(MaxUnitPrice), "must not be negative.");
        }

        if (MaxIdLength < 1)
        {
            yield return (nameof(MaxIdLength), "must be at least 1.");
        }

        if (MaxLabelLength < 1)
        {
            yield return (nameof(MaxLabelLength), "must be at least 1.");
        }

        if (MaxEventAge <= TimeSpan.Zero)
        {
            yield return (nameof(MaxEventAge), "must be positive.");
        }

        if (MaxFutureSkew < TimeSpan.Zero)
        {
            yield return (nameof(MaxFutureSkew), "must not be negative.");
        }
    }
}
