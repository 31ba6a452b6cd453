namespace Platform.Features;

/// <summary>
/// Stable 64-bit fingerprints of strings (line ids, customer hashes): FNV-1a over the UTF-16 code units, then the
/// SplitMix64 finalizer to spread the bits. Unlike string.GetHashCode it is the same in every process, which
/// snapshots need. Two different ids collide with probability about n^2 / 2^65 (n ids held at once).
/// </summary>
internal static class Fingerprint
{
    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return hash;
    }
}
