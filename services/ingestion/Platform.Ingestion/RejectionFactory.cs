using System.Text;
using System.Text.Json;
using Platform.Contracts;
using Platform.Ingestion.Validation;

namespace Platform.Ingestion;

/// <summary>Builds the orders.rejected record for a rejected input, whichever way it came in.</summary>
public static class RejectionFactory
{
    /// <summary>Payload copies are cut here so one huge bad record cannot make a huge rejection.</summary>
    public const int MaxPayloadCopyBytes = 16 * 1024;

    public static OrderRejected Create(
        Rejection rejection, string source, ReadOnlySpan<byte> payload, DateTimeOffset now,
        string? topic = null, int? partition = null, long? offset = null)
    {
        var truncated = payload.Length > MaxPayloadCopyBytes;
        var kept = truncated ? payload[..MaxPayloadCopyBytes] : payload;
        return new OrderRejected
        {
            Reason = rejection.Reason,
            Detail = rejection.Detail,
            Field = rejection.Field,
            OrderId = rejection.OrderId,
            Source = source,
            SourceTopic = topic,
            SourcePartition = partition,
            SourceOffset = offset,
            RejectedAt = now,
            // Invalid UTF-8 becomes U+FFFD: the record stays valid JSON whatever the input was.
            Payload = kept.IsEmpty ? null : Encoding.UTF8.GetString(kept),
            PayloadTruncated = truncated,
        };
    }

    public static byte[] Serialize(OrderRejected rejected) =>
        JsonSerializer.SerializeToUtf8Bytes(rejected, ContractsJsonContext.Default.OrderRejected);
}
