namespace Platform.Ingestion.Validation;

/// <summary>
/// Strings for the few values a low-cardinality field takes (region, channel, category): each thread keeps the
/// ones it has seen in a small direct-mapped table, so a repeated value costs a byte comparison instead of a new
/// string. A value that collides with another simply replaces it; memory stays bounded whatever the input.
/// </summary>
internal static class RecentLabels
{
    private const int Slots = 64;

    [ThreadStatic]
    private static string?[]? t_slots;

    /// <summary>The string for <paramref name="ascii"/>, which holds only ASCII bytes.</summary>
    public static string Get(ReadOnlySpan<byte> ascii)
    {
        var slots = t_slots ??= new string?[Slots];

        // FNV-1a over the bytes: cheap, and good enough to spread a few dozen labels over 64 slots.
        var hash = 2166136261u;
        foreach (var b in ascii)
        {
            hash = (hash ^ b) * 16777619u;
        }

        ref var slot = ref slots[hash & (Slots - 1)];
        if (slot is { } cached && Equals(cached, ascii))
        {
            return cached;
        }

        return slot = System.Text.Encoding.ASCII.GetString(ascii);
    }

    private static bool Equals(string value, ReadOnlySpan<byte> ascii)
    {
        if (value.Length != ascii.Length)
        {
            return false;
        }

        for (var i = 0; i < ascii.Length; i++)
        {
            if (value[i] != ascii[i])
            {
                return false;
            }
        }

        return true;
    }
}
