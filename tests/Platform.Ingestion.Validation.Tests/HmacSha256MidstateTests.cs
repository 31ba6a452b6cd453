using System.Security.Cryptography;

namespace Platform.Ingestion.Validation.Tests;

/// <summary>The hand-written HMAC must be indistinguishable from the platform's <see cref="HMACSHA256"/>.</summary>
public sealed class HmacSha256MidstateTests
{
    // Keys shorter than, equal to and longer than one block (a longer key is hashed first, RFC 2104).
    private static readonly int[] KeyLengths = [0, 1, 16, 31, 32, 33, 55, 56, 63, 64, 65, 100, 128, 200];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compute_EqualsHmacSha256_OnRandomInputsOfEveryLength(bool nativeBlockFunction)
    {
        var random = new Random(20261127);
        var mac = new byte[HmacSha256Midstate.MacBytes];
        var compared = 0;
        foreach (var keyLength in KeyLengths)
        {
            var key = new byte[keyLength];
            random.NextBytes(key);
            var hmac = new HmacSha256Midstate(key, nativeBlockFunction);

            // Every length 0..300 (one, two, three, four and five message blocks, each padding boundary: 55/56, 64,
            // 119/120, ...) at least 25 times per key: 14 keys x 301 lengths x 25 = 105,350 inputs.
            for (var round = 0; round < 25; round++)
            {
                for (var length = 0; length <= 300; length++)
                {
                    var message = new byte[length];
                    random.NextBytes(message);
                    hmac.Compute(message, mac);
                    var expected = HMACSHA256.HashData(key, message);
                    if (!expected.AsSpan().SequenceEqual(mac))
                    {
                        Assert.Fail($"Key of {keyLength} bytes, message of {length} bytes: "
                            + $"{Convert.ToHexString(mac)} instead of {Convert.ToHexString(expected)}.");
                    }

                    compared++;
                }
            }
        }

        Assert.True(compared >= 100_000, $"{compared} inputs compared");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compute_EqualsHmacSha256_OnLongMessagesAndRandomLengths(bool nativeBlockFunction)
    {
        var random = new Random(7);
        var key = new byte[32];
        random.NextBytes(key);
        var hmac = new HmacSha256Midstate(key, nativeBlockFunction);
        var mac = new byte[HmacSha256Midstate.MacBytes];
        for (var i = 0; i < 2_000; i++)
        {
            var message = new byte[random.Next(0, 5_000)];
            random.NextBytes(message);
            hmac.Compute(message, mac);
            Assert.Equal(HMACSHA256.HashData(key, message), mac);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compute_MatchesRfc4231TestCase2(bool nativeBlockFunction)
    {
        // RFC 4231, 4.3: key "Jefe", data "what do ya want for nothing?".
        var hmac = new HmacSha256Midstate("Jefe"u8, nativeBlockFunction);
        var mac = new byte[HmacSha256Midstate.MacBytes];

        hmac.Compute("what do ya want for nothing?"u8, mac);

        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void Compute_IsRepeatableAndWritesOnlyTheFirst32Bytes()
    {
        var hmac = new HmacSha256Midstate("0123456789abcdef0123456789abcdef"u8);
        var first = new byte[40];
        var second = new byte[40];
        Array.Fill(second, (byte)0xEE);

        hmac.Compute("C000123"u8, first);
        hmac.Compute("C000123"u8, second);

        Assert.Equal(first[..32], second[..32]);
        Assert.All(second[32..], b => Assert.Equal(0xEE, b));
        Assert.Throws<ArgumentOutOfRangeException>(() => hmac.Compute("x"u8, new byte[31]));
    }

    [Fact]
    public void CustomerIdHasher_ManagedAndOpenSslPathsAgree_OnRandomIds()
    {
        var random = new Random(11);
        var key = new byte[32];
        random.NextBytes(key);
        var managed = new CustomerIdHasher(key, cacheEntriesPerThread: 0);
        var openSsl = new CustomerIdHasher(key, cacheEntriesPerThread: 0) { ManagedHmacEnabled = false };
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_@.éü€😀";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 130)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var id = new string(chars);
            Assert.Equal(openSsl.Hash(id), managed.Hash(id));
        }
    }

    [Fact]
    public void NativeBlockFunction_IsUsedOnLinuxWithOpenSsl3()
    {
        // Every supported Linux image ships libcrypto.so.3 (.NET itself needs OpenSSL); if it stopped loading, the
        // HMAC would silently fall back to managed code and lose its speed, so this machine must see it.
        Assert.True(NativeSha256Block.IsAvailable, "OpenSSL's SHA256_Transform did not load or failed its self-test.");
        Assert.True(new HmacSha256Midstate(new byte[32]).UsesNativeBlockFunction);
        Assert.False(new HmacSha256Midstate(new byte[32], useNativeBlockFunction: false).UsesNativeBlockFunction);
    }

    [Fact]
    public void CustomerIdHasher_NativeAndManagedBlockFunctionsAgree_OnRandomIds()
    {
        var random = new Random(12);
        var key = new byte[32];
        random.NextBytes(key);
        var native = new CustomerIdHasher(key, cacheEntriesPerThread: 0);
        var managed = new CustomerIdHasher(key, cacheEntriesPerThread: 0) { NativeBlockFunctionEnabled = false };
        for (var i = 0; i < 20_000; i++)
        {
            var id = $"cus_{random.NextInt64():x}{new string('x', random.Next(0, 80))}";
            Assert.Equal(managed.Hash(id), native.Hash(id));
        }
    }
}
