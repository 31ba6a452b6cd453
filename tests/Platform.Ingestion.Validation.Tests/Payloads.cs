using System.Text;

namespace Platform.Ingestion.Validation.Tests;

/// <summary>Sample payloads and the validator/normalizer set up the way the tests need them.</summary>
internal static class Payloads
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static readonly byte[] HashKey = Encoding.UTF8.GetBytes("test-key-0123456789abcdef-0123456");

    public const string RawCustomerId = "cust-4711-secret";

    /// <summary>A valid three-line order.</summary>
    public const string Placed = """
        {"schema_version":1,"event_type":"order_placed","order_id":"o-1001","customer_id":"cust-4711-secret",
         "occurred_at":"2026-11-27T11:59:00.123+01:00","currency":"EUR","region":"EU-West","channel":"Web",
         "lines":[{"sku":"SKU-1","quantity":2,"unit_price":19.99},
                  {"sku":"SKU-2","quantity":1,"unit_price":5.5,"promotion_id":"BF26"},
                  {"sku":"SKU-3","quantity":3,"unit_price":0}]}
        """;

    public const string Cancelled = """
        {"schema_version":1,"event_type":"order_cancelled","order_id":"c-2002","cancels_order_id":"o-1001",
         "customer_id":"cust-4711-secret","occurred_at":"2026-11-27T11:30:00Z","currency":"USD","region":"us-east",
         "lines":[{"sku":"SKU-1","quantity":2,"unit_price":19.99},{"sku":"SKU-2","quantity":1,"unit_price":5.5}]}
        """;

    public const string Guest = """
        {"schema_version":1,"event_type":"order_placed","order_id":"g-3003","occurred_at":"2026-11-27T11:00:00Z",
         "currency":"JPY","lines":[{"sku":"SKU-9","quantity":1,"unit_price":1200}]}
        """;

    public const string WithUnknownProperties = """
        {"schema_version":1,"trace":{"id":[1,2,{"deep":null}],"x":true},"event_type":"order_placed","order_id":"u-4004",
         "occurred_at":"2026-11-27T11:00:00Z","currency":"GBP","coupon":"none","lines":[{"sku":"SKU-9","quantity":1,
         "unit_price":12.5,"colour":"red","tags":["a","b"]}],"schema_version_next":2}
        """;

    public static OrderValidator Validator(IngestionLimits? limits = null) =>
        new(limits ?? new IngestionLimits(), new FixedTimeProvider(Now));

    public static OrderNormalizer Normalizer(byte[]? key = null) => new(new CustomerIdHasher(key ?? HashKey));

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary><see cref="Placed"/> with one piece of text replaced; fails loudly when the text is not there.</summary>
    public static string PlacedWith(string find, string replace)
    {
        if (!Placed.Contains(find, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{find}' is not in the sample payload.", nameof(find));
        }

        return Placed.Replace(find, replace, StringComparison.Ordinal);
    }

    public static string Lines(int count) =>
        "[" + string.Join(",", Enumerable.Range(1, count).Select(i => $$"""{"sku":"S{{i}}","quantity":1,"unit_price":1}""")) + "]";
}
