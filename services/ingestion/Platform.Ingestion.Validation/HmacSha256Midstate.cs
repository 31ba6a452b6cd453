using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Platform.Ingestion.Validation;

/// <summary>
/// HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256) for one fixed key, with the key's two padded blocks hashed once:
/// the output is byte for byte that of <see cref="HMACSHA256"/> (tests compare over 100,000+ random inputs).
/// Immutable after construction, so one instance serves every thread.
/// </summary>
/// <remarks>
/// <para>HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)), where K' is the key zero-padded to 64 bytes (or, for a
/// key longer than 64 bytes, its SHA-256 zero-padded). Both (K' ^ ipad) and (K' ^ opad) are exactly one SHA-256
/// block, so the state after each ("midstate") depends on the key alone. This class keeps the two midstates and, per
/// message, resumes from them: for a message of up to 55 bytes (every realistic customer id) that is one compression
/// for the inner hash and one for the outer, against four for a from-scratch HMAC.</para>
/// <para>Why not <see cref="IncrementalHash"/>: a keyed OpenSSL context also starts from the midstates, but each
/// call crosses into OpenSSL twice and resets the context; for a 15-byte id that overhead costs more than the two
/// compressions themselves (docs/benchmarks.md). SHA-256 has no secret-dependent branches or table indices, so this
/// code runs in time that depends only on the message length, like the library's.</para>
/// <para>The compressions themselves run in OpenSSL's block function where it can be loaded
/// (<see cref="NativeSha256Block"/>: the CPU's SHA extensions, several times faster than the managed rounds below),
/// else in managed code; both give the same bytes (tests run both).</para>
/// </remarks>
internal sealed class HmacSha256Midstate
{
    public const int MacBytes = 32;

    /// <summary>True when the compressions run in OpenSSL's block function rather than in managed code.</summary>
    public bool UsesNativeBlockFunction => _native;

    private const int BlockBytes = 64;

    private readonly State _innerMidstate;
    private readonly State _outerMidstate;
    private readonly bool _native;

    /// <param name="key">The HMAC key.</param>
    /// <param name="useNativeBlockFunction">False: always compress in managed code (tests and benchmarks compare both).</param>
    public HmacSha256Midstate(ReadOnlySpan<byte> key, bool useNativeBlockFunction = true)
    {
        _native = useNativeBlockFunction && NativeSha256Block.IsAvailable;
        Span<byte> block = stackalloc byte[BlockBytes];
        block.Clear();
        if (key.Length > BlockBytes)
        {
            SHA256.HashData(key, block);
        }
        else
        {
            key.CopyTo(block);
        }

        // block = K'. Turn it into K' ^ ipad, then (flipping by ipad ^ opad) into K' ^ opad.
        Xor(block, 0x36);
        _innerMidstate = State.Initial;
        Compress(ref _innerMidstate, block);
        Xor(block, 0x36 ^ 0x5c);
        _outerMidstate = State.Initial;
        Compress(ref _outerMidstate, block);
        CryptographicOperations.ZeroMemory(block);
    }

    /// <summary>Writes the 32-byte HMAC of <paramref name="message"/> to <paramref name="mac"/>.</summary>
    public void Compute(ReadOnlySpan<byte> message, Span<byte> mac)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mac.Length, MacBytes, nameof(mac));
        Span<byte> innerHash = stackalloc byte[MacBytes];
        var state = _innerMidstate;
        Finish(ref state, message, innerHash, _native);
        state = _outerMidstate;
        Finish(ref state, innerHash, mac, _native);
    }

    private static void Xor(Span<byte> block, byte pad)
    {
        for (var i = 0; i < block.Length; i++)
        {
            block[i] ^= pad;
        }
    }

    /// <summary>
    /// Hashes <paramref name="data"/> from a state that has already absorbed exactly one block (the key block), pads
    /// (0x80, zeros, the 64-bit big-endian bit length of block + data) and writes the digest.
    /// </summary>
    private static void Finish(ref State state, ReadOnlySpan<byte> data, Span<byte> digest, bool native)
    {
        if (native)
        {
            FinishNative(ref state, data);
        }
        else
        {
            FinishManaged(ref state, data);
        }

        BinaryPrimitives.WriteUInt32BigEndian(digest, state.A);
        BinaryPrimitives.WriteUInt32BigEndian(digest[4..], state.B);
        BinaryPrimitives.WriteUInt32BigEndian(digest[8..], state.C);
        BinaryPrimitives.WriteUInt32BigEndian(digest[12..], state.D);
        BinaryPrimitives.WriteUInt32BigEndian(digest[16..], state.E);
        BinaryPrimitives.WriteUInt32BigEndian(digest[20..], state.F);
        BinaryPrimitives.WriteUInt32BigEndian(digest[24..], state.G);
        BinaryPrimitives.WriteUInt32BigEndian(digest[28..], state.H);
    }

    /// <summary>The final block(s) of <paramref name="data"/>: the rest after whole blocks, 0x80, zeros, then the length.</summary>
    private static int Pad(ReadOnlySpan<byte> rest, ulong totalBytes, Span<byte> tail)
    {
        tail.Clear();
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;

        // The rest, 0x80 and the 8-byte length fit in one block when the rest is at most 55 bytes, else in two.
        var tailBytes = rest.Length <= BlockBytes - 9 ? BlockBytes : 2 * BlockBytes;
        BinaryPrimitives.WriteUInt64BigEndian(tail.Slice(tailBytes - 8, 8), totalBytes * 8);
        return tailBytes;
    }

    private static void FinishNative(ref State state, ReadOnlySpan<byte> data)
    {
        var totalBytes = (ulong)BlockBytes + (ulong)data.Length;
        Span<byte> context = stackalloc byte[NativeSha256Block.ContextBytes];
        context.Clear();
        MemoryMarshal.Write(context, in state);
        while (data.Length >= BlockBytes)
        {
            NativeSha256Block.Transform(context, data[..BlockBytes]);
            data = data[BlockBytes..];
        }

        Span<byte> tail = stackalloc byte[2 * BlockBytes];
        var tailBytes = Pad(data, totalBytes, tail);
        NativeSha256Block.Transform(context, tail[..BlockBytes]);
        if (tailBytes > BlockBytes)
        {
            NativeSha256Block.Transform(context, tail[BlockBytes..]);
        }

        state = MemoryMarshal.Read<State>(context);
    }

    private static void FinishManaged(ref State state, ReadOnlySpan<byte> data)
    {
        var totalBytes = (ulong)BlockBytes + (ulong)data.Length;
        while (data.Length >= BlockBytes)
        {
            Compress(ref state, data[..BlockBytes]);
            data = data[BlockBytes..];
        }

        Span<byte> tail = stackalloc byte[2 * BlockBytes];
        var tailBytes = Pad(data, totalBytes, tail);
        Compress(ref state, tail[..BlockBytes]);
        if (tailBytes > BlockBytes)
        {
            Compress(ref state, tail[BlockBytes..]);
        }
    }

    /// <summary>The SHA-256 compression function (FIPS 180-4, 6.2.2) over one 64-byte block.</summary>
    private static void Compress(ref State state, ReadOnlySpan<byte> block)
    {
        // Message schedule: W[0..15] is the block as big-endian words, W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16].
        var schedule = new Schedule();
        Span<uint> w = schedule;
        for (var t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(t * 4, 4));
        }

        for (var t = 16; t < 64; t++)
        {
            var w15 = w[t - 15];
            var w2 = w[t - 2];
            var sigma0 = BitOperations.RotateRight(w15, 7) ^ BitOperations.RotateRight(w15, 18) ^ (w15 >> 3);
            var sigma1 = BitOperations.RotateRight(w2, 17) ^ BitOperations.RotateRight(w2, 19) ^ (w2 >> 10);
            w[t] = sigma1 + w[t - 7] + sigma0 + w[t - 16];
        }

        var a = state.A;
        var b = state.B;
        var c = state.C;
        var d = state.D;
        var e = state.E;
        var f = state.F;
        var g = state.G;
        var h = state.H;
        // Eight rounds per iteration, the working variables renamed instead of shifted: no moves between rounds.
        var k = RoundConstants;
        for (var t = 0; t < 64; t += 8)
        {
            Round(a, b, c, ref d, e, f, g, ref h, k[t] + w[t]);
            Round(h, a, b, ref c, d, e, f, ref g, k[t + 1] + w[t + 1]);
            Round(g, h, a, ref b, c, d, e, ref f, k[t + 2] + w[t + 2]);
            Round(f, g, h, ref a, b, c, d, ref e, k[t + 3] + w[t + 3]);
            Round(e, f, g, ref h, a, b, c, ref d, k[t + 4] + w[t + 4]);
            Round(d, e, f, ref g, h, a, b, ref c, k[t + 5] + w[t + 5]);
            Round(c, d, e, ref f, g, h, a, ref b, k[t + 6] + w[t + 6]);
            Round(b, c, d, ref e, f, g, h, ref a, k[t + 7] + w[t + 7]);
        }

        state.A += a;
        state.B += b;
        state.C += c;
        state.D += d;
        state.E += e;
        state.F += f;
        state.G += g;
        state.H += h;
    }

    /// <summary>
    /// One round: T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t], T2 = Σ0(a) + Maj(a, b, c); then d += T1 and h = T1 + T2.
    /// The caller rotates the roles (the new a is this h, the new e this d), which FIPS 180-4 writes as shifting
    /// h = g, g = f, ..., a = T1 + T2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(uint a, uint b, uint c, ref uint d, uint e, uint f, uint g, ref uint h, uint kw)
    {
        var t1 = h
            + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25))
            + ((e & f) ^ (~e & g))
            + kw;
        var t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22))
            + ((a & b) ^ (a & c) ^ (b & c));
        d += t1;
        h = t1 + t2;
    }

    /// <summary>K[0..63] of FIPS 180-4, 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.</summary>
    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>The eight working words H0..H7 of SHA-256.</summary>
    private struct State
    {
        public uint A, B, C, D, E, F, G, H;

        /// <summary>H(0) of FIPS 180-4, 5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.</summary>
        public static State Initial => new()
        {
            A = 0x6a09e667, B = 0xbb67ae85, C = 0x3c6ef372, D = 0xa54ff53a,
            E = 0x510e527f, F = 0x9b05688c, G = 0x1f83d9ab, H = 0x5be0cd19,
        };
    }

    /// <summary>W[0..63], on the stack.</summary>
    [InlineArray(64)]
    private struct Schedule
    {
        private uint _element0;
    }
}
