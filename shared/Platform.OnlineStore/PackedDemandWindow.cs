using System.Buffers.Binary;

namespace Platform.OnlineStore;

/// <summary>
/// The <c>feath:&lt;entityKey&gt;</c> string: one entity's <see cref="DemandWindow"/>. Little-endian: version byte (1),
/// end and as-of time (unix ms, int64), hour count N (uint16), then N units, N lines and N promoted lines, each an
/// unsigned LEB128 varint (7 bits a byte, as BinaryWriter.Write7BitEncodedInt), so the hours without sales, most of a
/// typical SKU's week, take one byte each: about 0.5 KB for a week instead of 2 KB as int32s.
/// </summary>
internal static class PackedDemandWindow
{
    public const byte Version = 1;
    public const int HeaderBytes = 1 + 8 + 8 + 2;

    public static byte[] Pack(DemandWindow window)
    {
        var size = HeaderBytes;
        foreach (var values in (ReadOnlySpan<int[]>)[window.Units, window.Lines, window.PromoLines])
        {
            foreach (var v in values)
            {
                size += VarintLength(Unsigned(v));
            }
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], window.End.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], window.AsOf.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt16LittleEndian(span[17..], checked((ushort)window.Hours));
        var at = HeaderBytes;
        foreach (var values in (ReadOnlySpan<int[]>)[window.Units, window.Lines, window.PromoLines])
        {
            foreach (var v in values)
            {
                var u = Unsigned(v);
                while (u >= 0x80)
                {
                    span[at++] = (byte)(u | 0x80);
                    u >>= 7;
                }

                span[at++] = (byte)u;
            }
        }

        return buffer;
    }

    /// <summary>The window, or null with <paramref name="why"/> when the bytes are not a valid version-1 window.</summary>
    public static DemandWindow? Unpack(string entityKey, ReadOnlySpan<byte> span, out string? why)
    {
        why = null;
        if (span.Length < HeaderBytes || span[0] != Version)
        {
            why = span.Length == 0 ? "empty value" : $"unknown version {span[0]} or truncated header";
            return null;
        }

        var endMs = BinaryPrimitives.ReadInt64LittleEndian(span[1..]);
        var asOfMs = BinaryPrimitives.ReadInt64LittleEndian(span[9..]);
        int hours = BinaryPrimitives.ReadUInt16LittleEndian(span[17..]);
        if (endMs % 3_600_000 != 0 || endMs < -62_135_596_800_000 || endMs > 253_402_300_799_000 || asOfMs < -62_135_596_800_000 || asOfMs > 253_402_300_799_000)
        {
            why = "end is not on an hour or a time is out of range";
            return null;
        }

        var units = new int[hours];
        var lines = new int[hours];
        var promo = new int[hours];
        var at = HeaderBytes;
        foreach (var values in (ReadOnlySpan<int[]>)[units, lines, promo])
        {
            for (var i = 0; i < hours; i++)
            {
                uint value = 0;
                var shift = 0;
                while (true)
                {
                    if (at >= span.Length || shift > 28)
                    {
                        why = "truncated or over-long varint";
                        return null;
                    }

                    var b = span[at++];
                    value |= (uint)(b & 0x7F) << shift;
                    if (b < 0x80)
                    {
                        break;
                    }

                    shift += 7;
                }

                values[i] = (int)Math.Min(value, int.MaxValue);
            }
        }

        if (at != span.Length)
        {
            why = "trailing bytes";
            return null;
        }

        return new DemandWindow(entityKey, DateTimeOffset.FromUnixTimeMilliseconds(endMs), DateTimeOffset.FromUnixTimeMilliseconds(asOfMs), units, lines, promo);
    }

    // Demand counts are never negative; a negative value (a writer bug) is stored as 0 rather than as five bytes of garbage.
    private static uint Unsigned(int value) => value < 0 ? 0u : (uint)value;

    private static int VarintLength(uint value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }
}
