using System.Security.Cryptography;
using System.Text;
using Platform.Contracts;

namespace Platform.OfflineStore;

/// <summary>
/// The line-level rules ingestion applies to an order before it accepts it, with its default limits
/// (Ingestion:Limits). The payload size and event age limits are left out: they concern live traffic, not history.
/// </summary>
public sealed record OrderImportRules
{
    public int MaxLines { get; init; } = 200;

    public int MaxQuantityPerLine { get; init; } = 10_000;

    public decimal MaxUnitPrice { get; init; } = 1_000_000m;

    public int MaxIdLength { get; init; } = 64;

    public int MaxLabelLength { get; init; } = 32;
}

/// <summary>
/// Turns an <see cref="OrderEvent"/> into the <see cref="OrderLineValidated"/> records ingestion would publish for it,
/// for loading history into the offline store without running the stream: line id "{order_id}:{n}", negative
/// quantities for a cancellation, currency upper case, region and channel lower case ("unknown" when absent),
/// category trimmed and lower case (absent when empty), empty optional strings absent.
/// </summary>
/// <remarks>
/// The customer hash is whatever <c>customerHasher</c> returns; <see cref="Sha256CustomerHash"/> by default, a plain
/// SHA-256 (first 16 bytes, hex: the same shape as ingestion's keyed HMAC, but not the same values). The features only
/// count distinct customers, so their values do not depend on which hash is used.
/// </remarks>
public static class OrderEventLines
{
    /// <summary>Why ingestion would reject the order, or null when it would accept it.</summary>
    public static string? Reject(OrderEvent order, OrderImportRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        rules ??= new OrderImportRules();
        if (string.IsNullOrEmpty(order.OrderId)) return "missing_field";
        if (order.OrderId.Length > rules.MaxIdLength || order.CustomerId?.Length > rules.MaxIdLength || order.CancelsOrderId?.Length > rules.MaxIdLength) return "string_too_long";
        if (order.Region?.Length > rules.MaxLabelLength || order.Channel?.Length > rules.MaxLabelLength) return "string_too_long";
        if (order.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper)) return "invalid_currency";
        if (order.EventType is not (OrderEventTypes.Placed or OrderEventTypes.Cancelled)) return "unknown_event_type";
        if (order.Lines.Count == 0) return "no_lines";
        if (order.Lines.Count > rules.MaxLines) return "too_many_lines";
        foreach (var line in order.Lines)
        {
            if (string.IsNullOrEmpty(line.Sku)) return "missing_field";
            if (line.Sku.Length > rules.MaxIdLength || line.PromotionId?.Length > rules.MaxIdLength || line.Category?.Length > rules.MaxIdLength) return "string_too_long";
            if (line.Quantity <= 0) return "quantity_not_positive";
            if (line.Quantity > rules.MaxQuantityPerLine) return "quantity_too_large";
            if (line.UnitPrice < 0) return "price_negative";
            if (line.UnitPrice > rules.MaxUnitPrice) return "invalid_field";
        }

        return null;
    }

    /// <summary>One record per line of an accepted order (see <see cref="Reject"/>), in line order.</summary>
    public static OrderLineValidated[] Normalize(OrderEvent order, DateTimeOffset ingestedAt, Func<string, string>? customerHasher = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        var cancellation = order.EventType == OrderEventTypes.Cancelled;
        var customerHash = string.IsNullOrEmpty(order.CustomerId) ? null : (customerHasher ?? Sha256CustomerHash)(order.CustomerId);
        var region = Label(order.Region);
        var channel = Label(order.Channel);
        var currency = order.Currency.ToUpperInvariant();
        var occurredAt = order.OccurredAt.ToUniversalTime();
        var ingested = ingestedAt.ToUniversalTime();
        var result = new OrderLineValidated[order.Lines.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var line = order.Lines[i];
            var category = line.Category?.Trim().ToLowerInvariant();
            result[i] = new OrderLineValidated
            {
                LineId = string.Concat(order.OrderId, ":", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                OrderId = order.OrderId,
                LineNumber = i + 1,
                LineCount = result.Length,
                Kind = cancellation ? OrderLineKinds.Cancellation : OrderLineKinds.Sale,
                CancelsOrderId = string.IsNullOrEmpty(order.CancelsOrderId) ? null : order.CancelsOrderId,
                Sku = line.Sku,
                Category = string.IsNullOrEmpty(category) ? null : category,
                Quantity = cancellation ? -line.Quantity : line.Quantity,
                UnitPrice = line.UnitPrice,
                Currency = currency,
                Region = region,
                Channel = channel,
                CustomerHash = customerHash,
                PromotionId = string.IsNullOrEmpty(line.PromotionId) ? null : line.PromotionId,
                OccurredAt = occurredAt,
                IngestedAt = ingested,
            };
        }

        return result;
    }

    /// <summary>SHA-256 of the id's UTF-8 bytes, first 16 bytes as lower-case hex (unkeyed: fine for offline history only).</summary>
    public static string Sha256CustomerHash(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(customerId), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static string Label(string? value) => string.IsNullOrEmpty(value) ? "unknown" : value.ToLowerInvariant();
}
