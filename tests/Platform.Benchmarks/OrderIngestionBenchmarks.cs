using System.Text;
using BenchmarkDotNet.Attributes;
using Platform.Ingestion.Validation;

namespace Platform.Benchmarks;

/// <summary>
/// The ingestion hot path for one order: parse + validate the raw bytes, then normalize and serialize every line.
/// One benchmark operation is one order, so Mean is the time per order and orders/s per core is 1 / Mean.
/// </summary>
[MemoryDiagnoser]
public class OrderIngestionBenchmarks
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly byte[] Key = "benchmark-key-0123456789abcdef-32"u8.ToArray();

    private OrderValidator _validator = null!;
    private OrderValidator _readerOnlyValidator = null!;
    private OrderNormalizer _normalizer = null!;
    private OrderNormalizer _uncachedNormalizer = null!;
    private CustomerIdHasher _hasher = null!;
    private CustomerIdHasher _uncachedHasher = null!;
    private byte[] _payload = [];
    private Platform.Contracts.OrderEvent _order = null!;

    [Params(3, 10)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _validator = new OrderValidator(new IngestionLimits(), TimeProvider.System);

        // The validator without its fast path: every payload goes through Utf8JsonReader, as before 2026-11-27.
        _readerOnlyValidator = new OrderValidator(new IngestionLimits(), TimeProvider.System) { FastPathEnabled = false };
        _hasher = new CustomerIdHasher(Key);
        _normalizer = new OrderNormalizer(_hasher);

        // The payload repeats one customer, so with the cache every order after the first is a hit: the rows built
        // on this hasher show what a first-time customer (or a cache miss) costs.
        _uncachedHasher = new CustomerIdHasher(Key, cacheEntriesPerThread: 0);
        _uncachedNormalizer = new OrderNormalizer(_uncachedHasher);
        _payload = Encoding.UTF8.GetBytes(Payload(Lines));
        if (!_validator.TryParse(_payload, out var order, out var rejection))
        {
            throw new InvalidOperationException($"The benchmark payload is rejected: {rejection}");
        }

        _order = order;
    }

    [Benchmark]
    public int ParseValidateNormalizeSerialize()
    {
        if (!_validator.TryParse(_payload, out var order, out _))
        {
            return -1;
        }

        var lines = _normalizer.Normalize(order, Now);
        return lines[^1].Utf8Json.Length;
    }

    /// <summary>As <see cref="ParseValidateNormalizeSerialize"/>, but the customer hash is computed every time (cache off).</summary>
    [Benchmark]
    public int ParseValidateNormalizeSerializeHashMiss()
    {
        if (!_validator.TryParse(_payload, out var order, out _))
        {
            return -1;
        }

        var lines = _uncachedNormalizer.Normalize(order, Now);
        return lines[^1].Utf8Json.Length;
    }

    /// <summary>As <see cref="ParseValidateNormalizeSerializeHashMiss"/>, with the parse on the Utf8JsonReader path only (no fast path).</summary>
    [Benchmark]
    public int ParseValidateNormalizeSerializeHashMissReaderPath()
    {
        if (!_readerOnlyValidator.TryParse(_payload, out var order, out _))
        {
            return -1;
        }

        var lines = _uncachedNormalizer.Normalize(order, Now);
        return lines[^1].Utf8Json.Length;
    }

    /// <summary>Parse + validate on the Utf8JsonReader path only: the baseline for <see cref="ParseValidate"/>.</summary>
    [Benchmark]
    public int ParseValidateReaderPath() => _readerOnlyValidator.TryParse(_payload, out var order, out _) ? order.Lines.Count : -1;

    /// <summary>Parse + validate alone, to see where the time goes.</summary>
    [Benchmark]
    public int ParseValidate() => _validator.TryParse(_payload, out var order, out _) ? order.Lines.Count : -1;

    /// <summary>Normalize + serialize alone (customer hash included), over an order parsed once in setup.</summary>
    [Benchmark]
    public int NormalizeSerialize() => _normalizer.Normalize(_order, Now).Length;

    /// <summary>Normalize + serialize with the customer hash computed every time (cache off).</summary>
    [Benchmark]
    public int NormalizeSerializeHashMiss() => _uncachedNormalizer.Normalize(_order, Now).Length;

    /// <summary>The keyed customer hash alone (once per order), a repeat customer: a cache hit.</summary>
    [Benchmark]
    public string HashCustomerId() => _hasher.Hash(_order.CustomerId!);

    /// <summary>The keyed customer hash alone, computed (cache off): what a new customer costs.</summary>
    [Benchmark]
    public string HashCustomerIdMiss() => _uncachedHasher.Hash(_order.CustomerId!);

    /// <summary>Baseline for <see cref="HashCustomerId"/>: the one-shot HMAC API, which re-keys on every call.</summary>
    [Benchmark]
    public int HashCustomerIdOneShot()
    {
        Span<byte> data = stackalloc byte[64];
        Span<byte> mac = stackalloc byte[32];
        var length = Encoding.UTF8.GetBytes("cus_8f3a2c91d7", data);
        System.Security.Cryptography.HMACSHA256.HashData(Key, data[..length], mac);
        return mac[0];
    }

    /// <summary>A realistic order as a web shop publishes it (about 200 + 80 bytes per line).</summary>
    private static string Payload(int lines)
    {
        var builder = new StringBuilder();
        builder.Append("{\"schema_version\":1,\"event_type\":\"order_placed\",\"order_id\":\"ord-2026-11-27-000184467\",")
            .Append("\"customer_id\":\"cus_8f3a2c91d7\",\"occurred_at\":\"")
            .Append(Now.AddSeconds(-3).ToString("O"))
            .Append("\",\"currency\":\"EUR\",\"region\":\"EU-West\",\"channel\":\"Web\",\"lines\":[");
        for (var i = 1; i <= lines; i++)
        {
            builder.Append(i == 1 ? "" : ",")
                .Append("{\"sku\":\"SKU-")
                .Append(84870 + i)
                .Append("\",\"quantity\":")
                .Append(i % 3 + 1)
                .Append(",\"unit_price\":")
                .Append(9.99m + i)
                .Append(i % 4 == 2 ? ",\"promotion_id\":\"BLACKFRIDAY26\"}" : "}");
        }

        return builder.Append("]}").ToString();
    }
}
