using System.Runtime.InteropServices;

namespace Platform.Ingestion.Validation;

/// <summary>
/// The SHA-256 block function of the system's OpenSSL (libcrypto 3), called directly: one compression of one 64-byte
/// block into a caller-held state. OpenSSL picks the fastest code for the CPU at load time (the x86 SHA extensions
/// where present, about six times faster than portable code); .NET exposes no SHA intrinsics on x86, so this is the
/// only way to reach them from C#. Optional: where libcrypto.so.3 cannot be loaded, or its result disagrees with the
/// FIPS 180-4 test vector checked at load, <see cref="IsAvailable"/> is false and callers use managed code.
/// </summary>
/// <remarks>
/// <para>SHA256_Transform is deprecated in OpenSSL 3 (as the whole low-level SHA256_* family is) but still exported;
/// it runs the block function over the first eight words of its context, the state H0..H7, and touches nothing else.
/// The call is a few hundred cycles, never blocks and never calls back, which is what
/// <see cref="SuppressGCTransitionAttribute"/> requires; skipping the GC transition saves most of the P/Invoke cost.</para>
/// </remarks>
internal static unsafe class NativeSha256Block
{
    /// <summary>sizeof(SHA256_CTX) in OpenSSL 3: h[8], Nl, Nh, data[16], num, md_len; 4-byte words.</summary>
    public const int ContextBytes = 112;

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, void> s_transform = Load();

    public static bool IsAvailable => s_transform != null;

    /// <summary>
    /// Compresses one 64-byte <paramref name="block"/> into <paramref name="context"/>, whose first 32 bytes are the
    /// eight state words in native (little-endian) order.
    /// </summary>
    public static void Transform(Span<byte> context, ReadOnlySpan<byte> block)
    {
        if (s_transform == null)
        {
            throw new InvalidOperationException("OpenSSL's SHA256_Transform is not available on this machine.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(context.Length, ContextBytes, nameof(context));
        ArgumentOutOfRangeException.ThrowIfLessThan(block.Length, 64, nameof(block));
        fixed (byte* contextPointer = context)
        fixed (byte* blockPointer = block)
        {
            s_transform(contextPointer, blockPointer);
        }
    }

    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, void> Load()
    {
        if (!OperatingSystem.IsLinux()
            || !NativeLibrary.TryLoad("libcrypto.so.3", out var library)
            || !NativeLibrary.TryGetExport(library, "SHA256_Transform", out var export))
        {
            return null;
        }

        var transform = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, void>)export;
        return SelfTest(transform) ? transform : null;
    }

    /// <summary>SHA-256("abc") from FIPS 180-4's examples, as one padded block from the initial state.</summary>
    private static bool SelfTest(delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, void> transform)
    {
        var context = stackalloc uint[ContextBytes / 4];
        ReadOnlySpan<uint> initial = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
        ReadOnlySpan<uint> expected = [0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223, 0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad];
        new Span<uint>(context, ContextBytes / 4).Clear();
        initial.CopyTo(new Span<uint>(context, 8));
        var block = stackalloc byte[64];
        new Span<byte>(block, 64).Clear();
        block[0] = (byte)'a';
        block[1] = (byte)'b';
        block[2] = (byte)'c';
        block[3] = 0x80;
        block[63] = 24; // the message length in bits, big-endian in the last 8 bytes
        transform((byte*)context, block);
        return new ReadOnlySpan<uint>(context, 8).SequenceEqual(expected);
    }
}
