using System.Security.Cryptography;
using System.Text;
using static Platform.Ingestion.Validation.Tests.Payloads;

namespace Platform.Ingestion.Validation.Tests;

public sealed class CustomerIdHasherTests
{
    private static readonly byte[] OtherKey = Encoding.UTF8.GetBytes("another-key-fedcba9876543210-xyz");

    [Fact]
    public void Hashing_IsHmacSha256FirstSixteenBytesLowerHex()
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(HashKey, Encoding.UTF8.GetBytes(RawCustomerId))[..16]);

        Assert.Equal(expected, new CustomerIdHasher(HashKey).Hash(RawCustomerId));
        Assert.Matches("^[0-9a-f]{32}$", expected);
    }

    [Fact]
    public void Hashing_IsStableForOneKey()
    {
        Assert.Equal(new CustomerIdHasher(HashKey).Hash(RawCustomerId), new CustomerIdHasher(HashKey).Hash(RawCustomerId));
    }

    [Fact]
    public void Hashing_DiffersAcrossKeysAndCustomers()
    {
        var hasher = new CustomerIdHasher(HashKey);

        Assert.NotEqual(hasher.Hash(RawCustomerId), new CustomerIdHasher(OtherKey).Hash(RawCustomerId));
        Assert.NotEqual(hasher.Hash(RawCustomerId), hasher.Hash(RawCustomerId + "x"));
    }

    [Theory]
    [InlineData(RawCustomerId)]
    [InlineData("customer-000001")]
    [InlineData("user@example.com")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public void Hashing_NeverEqualsOrContainsTheRawId(string customerId)
    {
        var hash = new CustomerIdHasher(HashKey).Hash(customerId);

        Assert.NotEqual(customerId, hash);
        Assert.DoesNotContain(customerId, hash, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Hashing_HandlesIdsLongerThanTheStackBuffer()
    {
        var longId = new string('é', 500);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(HashKey, Encoding.UTF8.GetBytes(longId))[..16]);

        Assert.Equal(expected, new CustomerIdHasher(HashKey).Hash(longId));
    }

    [Fact]
    public void Hashing_RejectsShortKeys()
    {
        Assert.Throws<ArgumentException>(() => new CustomerIdHasher(new byte[CustomerIdHasher.MinimumKeyBytes - 1]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(CustomerIdHasher.DefaultCacheEntriesPerThread)]
    public void Hashing_CacheNeverChangesTheResult(int cacheEntries)
    {
        var cached = new CustomerIdHasher(HashKey, cacheEntries);
        var uncached = new CustomerIdHasher(HashKey, cacheEntriesPerThread: 0);
        var random = new Random(cacheEntries);

        // Few distinct ids in random order: hits, misses and evictions (a cache of 1 evicts on every new id).
        for (var i = 0; i < 5_000; i++)
        {
            var id = $"cust-{random.Next(50)}";
            Assert.Equal(uncached.Hash(id), cached.Hash(id));
        }
    }

    [Fact]
    public void Hashing_CacheIsPerKey()
    {
        var a = new CustomerIdHasher(HashKey);
        var b = new CustomerIdHasher(OtherKey);

        Assert.NotEqual(a.Hash(RawCustomerId), b.Hash(RawCustomerId));
        Assert.NotEqual(a.Hash(RawCustomerId), b.Hash(RawCustomerId));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData((1 << 20) + 1)]
    public void Hashing_RejectsOutOfRangeCacheSizes(int cacheEntries)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CustomerIdHasher(HashKey, cacheEntries));
    }
}
