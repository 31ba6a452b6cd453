using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Ingestion.Validation;

/// <summary>
/// Pseudonymizes customer ids with a keyed hash, so that no raw id leaves ingestion while one customer's orders
/// still share one value: HMAC-SHA256 of the id's UTF-8 bytes, first 16 bytes as lower-case hex (32 characters).
/// A plain hash would not do: customer ids are guessable, and anyone could hash candidates and compare.
/// Thread-safe.
/// </summary>
/// <remarks>
/// <para>The HMAC is computed by <see cref="HmacSha256Midstate"/>: the key's two padded blocks are hashed once, here,
/// and each id then costs two SHA-256 compressions, in OpenSSL's block function (the CPU's SHA extensions) where it
/// loads, else in managed code: about 140 ns against 570 ns managed and 600 ns through a per-thread keyed
/// <see cref="IncrementalHash"/> (kept for comparison behind <see cref="ManagedHmacEnabled"/>), which crosses into
/// OpenSSL's EVP layers on every call; the one-shot <c>HMACSHA256.HashData</c> is slower still, as it sets up the key
/// each time (docs/benchmarks.md). Tests hold the output byte-equal to <see cref="HMACSHA256"/>.</para>
/// <para>Even so the HMAC is a large part of an order, and repeat customers are common, so each thread
/// also remembers the hashes of its most recent customer ids: a direct-mapped table (one slot per id's hash code,
/// a newer id evicts an older one), so memory is bounded and a lookup is one string comparison. The ids it holds are
/// ones the process has already parsed; they are never written anywhere.</para>
/// </remarks>
public sealed class CustomerIdHasher
{
    /// <summary>Shortest accepted key. RFC 2104 advises a key at least as long as the hash output (32 bytes).</summary>
    public const int MinimumKeyBytes = 16;

    /// <summary>Default size of each thread's table of recent ids: about 150 KB per thread when full.</summary>
    public const int DefaultCacheEntriesPerThread = 1024;

    private const int StackBytes = 256;

    private readonly ThreadLocal<PerThread> _perThread;
    private readonly HmacSha256Midstate _hmac;
    private readonly HmacSha256Midstate _managedBlockHmac;

    /// <param name="key">The HMAC key, at least <see cref="MinimumKeyBytes"/> bytes.</param>
    /// <param name="cacheEntriesPerThread">Recent ids remembered per thread, rounded up to a power of two; 0 turns the cache off.</param>
    public CustomerIdHasher(ReadOnlySpan<byte> key, int cacheEntriesPerThread = DefaultCacheEntriesPerThread)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException(
                $"The customer id hashing key must be at least {MinimumKeyBytes} bytes (32 recommended); it is {key.Length}.",
                nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(cacheEntriesPerThread);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cacheEntriesPerThread, 1 << 20);
        var keyCopy = key.ToArray();
        var slots = cacheEntriesPerThread == 0 ? 0 : (int)BitOperations.RoundUpToPowerOf2((uint)cacheEntriesPerThread);
        _hmac = new HmacSha256Midstate(keyCopy);
        _managedBlockHmac = new HmacSha256Midstate(keyCopy, useNativeBlockFunction: false);

        // The OpenSSL context is only created on a thread that uses it (ManagedHmacEnabled = false, benchmarks).
        _perThread = new ThreadLocal<PerThread>(() => new PerThread(
            ManagedHmacEnabled ? null : IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keyCopy), slots));
    }

    /// <summary>
    /// False: compute the HMAC with a per-thread keyed <see cref="IncrementalHash"/> (OpenSSL), as before 2026-11-27,
    /// so that benchmarks can time both in one run. Same output either way.
    /// </summary>
    internal bool ManagedHmacEnabled { get; init; } = true;

    /// <summary>
    /// False: the midstate HMAC compresses in managed code even where OpenSSL's block function is available
    /// (<see cref="NativeSha256Block"/>), so that benchmarks can time both in one run. Same output either way.
    /// </summary>
    internal bool NativeBlockFunctionEnabled { get; init; } = true;

    public string Hash(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        var state = _perThread.Value!;
        var ids = state.Ids;
        if (ids.Length == 0)
        {
            return Compute(state, customerId);
        }

        var slot = customerId.GetHashCode() & (ids.Length - 1);
        if (string.Equals(ids[slot], customerId, StringComparison.Ordinal))
        {
            return state.Hashes[slot]!;
        }

        var hash = Compute(state, customerId);
        ids[slot] = customerId;
        state.Hashes[slot] = hash;
        return hash;
    }

    private string Compute(PerThread state, string customerId)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(customerId.Length);
        byte[]? rented = null;
        Span<byte> data = maxBytes <= StackBytes
            ? stackalloc byte[maxBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(customerId, data);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            if (state.Hmac is null)
            {
                (NativeBlockFunctionEnabled ? _hmac : _managedBlockHmac).Compute(data[..length], mac);
            }
            else
            {
                state.Hmac.AppendData(data[..length]);
                state.Hmac.GetHashAndReset(mac);
            }

            return Convert.ToHexStringLower(mac[..16]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    private sealed class PerThread(IncrementalHash? hmac, int slots)
    {
        public readonly IncrementalHash? Hmac = hmac;
        public readonly string?[] Ids = new string?[slots];
        public readonly string?[] Hashes = new string?[slots];
    }
}
