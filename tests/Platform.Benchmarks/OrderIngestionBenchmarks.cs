using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Platform.Ingestion.Validation;
using Platform.Simulator;

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
    private OrderNormalizer _uncachedOpenSslNormalizer = null!;
    private CustomerIdHasher _uncachedOpenSslHasher = null!;
    private OrderNormalizer _mixNormalizer = null!;
    private OrderNormalizer _mixOpenSslNormalizer = null!;
    private OrderNormalizer _mixManagedBlockNormalizer = null!;
    private CustomerIdHasher _uncachedManagedBlockHasher = null!;
    private byte[][] _mix = [];
    private int _mixNext;
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

        // The same, with the HMAC through a per-thread keyed IncrementalHash (OpenSSL), as before this change.
        _uncachedOpenSslHasher = new CustomerIdHasher(Key, cacheEntriesPerThread: 0) { ManagedHmacEnabled = false };
        _uncachedOpenSslNormalizer = new OrderNormalizer(_uncachedOpenSslHasher);
        _payload = Encoding.UTF8.GetBytes(Payload(Lines, "ord-2026-11-27-000184467", "cus_8f3a2c91d7"));

        // Realistic mix: the same order shape, but each order's customer is the next one of the simulator's stream
        // (its default model: 20,000 customers with skewed repeat activity, 12 % guests), so the per-thread cache
        // (default size) hits only as often as a production stream would let it. Fresh hashers: the cache starts cold.
        var customers = SimulatedCustomerIds(MixOrders);
        _mix = new byte[customers.Length][];
        for (var i = 0; i < customers.Length; i++)
        {
            _mix[i] = Encoding.UTF8.GetBytes(Payload(Lines, $"ord-2026-11-27-{i:D9}", customers[i]));
        }

        _mixNormalizer = new OrderNormalizer(new CustomerIdHasher(Key));
        _mixOpenSslNormalizer = new OrderNormalizer(new CustomerIdHasher(Key) { ManagedHmacEnabled = false });
        _mixManagedBlockNormalizer = new OrderNormalizer(new CustomerIdHasher(Key) { NativeBlockFunctionEnabled = false });
        _uncachedManagedBlockHasher = new CustomerIdHasher(Key, cacheEntriesPerThread: 0) { NativeBlockFunctionEnabled = false };
        _mixNext = 0;
        var (guests, hitRate) = CacheHitRate(customers, CustomerIdHasher.DefaultCacheEntriesPerThread);
        Console.WriteLine($"// Realistic mix: {customers.Length:N0} orders, {guests:P1} guests, {customers.Distinct().Count() - 1:N0} distinct customers, "
            + $"per-thread cache hit rate {hitRate:P1} of hashed orders (steady state, {CustomerIdHasher.DefaultCacheEntriesPerThread} entries).");
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

    /// <summary>As <see cref="ParseValidateNormalizeSerializeHashMiss"/>, with the HMAC through OpenSSL (IncrementalHash), as before this change.</summary>
    [Benchmark]
    public int ParseValidateNormalizeSerializeHashMissOpenSsl()
    {
        if (!_validator.TryParse(_payload, out var order, out _))
        {
            return -1;
        }

        var lines = _uncachedOpenSslNormalizer.Normalize(order, Now);
        return lines[^1].Utf8Json.Length;
    }

    /// <summary>
    /// The whole path over a pool of <see cref="MixOrders"/> orders whose customers follow the simulator's stream,
    /// cycled in order, with the default per-thread cache: what a production stream costs per order.
    /// </summary>
    [Benchmark]
    public int RealisticMix() => Mix(_mixNormalizer);

    /// <summary>As <see cref="RealisticMix"/>, with the SHA-256 compressions in managed code (no OpenSSL block function), as before 2026-11-28.</summary>
    [Benchmark]
    public int RealisticMixManagedBlocks() => Mix(_mixManagedBlockNormalizer);

    /// <summary>As <see cref="RealisticMix"/>, with the HMAC through OpenSSL (IncrementalHash), as before this change.</summary>
    [Benchmark]
    public int RealisticMixOpenSsl() => Mix(_mixOpenSslNormalizer);

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

    /// <summary>As <see cref="HashCustomerIdMiss"/>, with the SHA-256 compressions in managed code, as before 2026-11-28.</summary>
    [Benchmark]
    public string HashCustomerIdMissManagedBlocks() => _uncachedManagedBlockHasher.Hash(_order.CustomerId!);

    /// <summary>As <see cref="HashCustomerIdMiss"/>, through a per-thread keyed IncrementalHash (OpenSSL), as before this change.</summary>
    [Benchmark]
    public string HashCustomerIdMissOpenSsl() => _uncachedOpenSslHasher.Hash(_order.CustomerId!);

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

    /// <summary>Orders in the realistic-mix pool: enough that 1,024 cache slots cannot hold its customers.</summary>
    private const int MixOrders = 100_000;

    private int Mix(OrderNormalizer normalizer)
    {
        var payload = _mix[_mixNext];
        _mixNext = _mixNext + 1 == _mix.Length ? 0 : _mixNext + 1;
        if (!_validator.TryParse(payload, out var order, out _))
        {
            return -1;
        }

        var lines = normalizer.Normalize(order, Now);
        return lines[^1].Utf8Json.Length;
    }

    /// <summary>The customer id (null for a guest) of each of the first <paramref name="count"/> valid orders of the simulator's default stream.</summary>
    private static string?[] SimulatedCustomerIds(int count)
    {
        var simulator = new OrderSimulator(new SimulatorOptions { MalformedShare = 0, DuplicateShare = 0 });
        var ids = new List<string?>(count);
        foreach (var e in simulator.Generate(TimeSpan.FromSeconds(600)))
        {
            if (e.Kind != SimulatedEventKind.Valid)
            {
                continue;
            }

            using var document = JsonDocument.Parse(e.Payload);
            ids.Add(document.RootElement.TryGetProperty("customer_id", out var id) ? id.GetString() : null);
            if (ids.Count == count)
            {
                return [.. ids];
            }
        }

        throw new InvalidOperationException($"The simulator produced only {ids.Count} orders.");
    }

    /// <summary>
    /// Share of guests, and the hit rate of one thread's direct-mapped cache (same slot function as
    /// <see cref="CustomerIdHasher"/>: the id's hash code, which is per process, so this run's figure) over the
    /// orders that carry a customer id, once the pool has cycled once (the benchmark runs many cycles).
    /// </summary>
    private static (double Guests, double HitRate) CacheHitRate(string?[] customers, int entries)
    {
        var slots = new string?[entries];
        long hits = 0, hashed = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var id in customers)
            {
                if (id is null)
                {
                    continue;
                }

                var slot = id.GetHashCode() & (entries - 1);
                var hit = string.Equals(slots[slot], id, StringComparison.Ordinal);
                slots[slot] = id;
                if (pass == 1)
                {
                    hashed++;
                    hits += hit ? 1 : 0;
                }
            }
        }

        return (1 - (double)hashed / customers.Length, (double)hits / hashed);
    }

    /// <summary>A realistic order as a web shop publishes it (about 200 + 80 bytes per line); no customer_id for a guest.</summary>
    private static string Payload(int lines, string orderId, string? customerId)
    {
        var builder = new StringBuilder();
        builder.Append("{\"schema_version\":1,\"event_type\":\"order_placed\",\"order_id\":\"").Append(orderId).Append("\",");
        if (customerId is not null)
        {
            builder.Append("\"customer_id\":\"").Append(customerId).Append("\",");
        }

        builder.Append("\"occurred_at\":\"")
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
