using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Platform.OnlineStore;

/// <summary>
/// The <c>_packed</c> field of an entity hash: the whole row in one binary value, so a read costs one bulk string
/// per entity. Little-endian: version byte (1), event time and written time (unix ms, int64), schema hash (uint16
/// length + UTF-8), feature count (uint16), then per feature its name (uint8 length + UTF-8) and value (IEEE 754
/// float64, bit-exact). The same bytes are also stored as the string <c>featp:&lt;entityKey&gt;</c>.
/// </summary>
internal static class PackedFeatures
{
    public const byte Version = 1;
    public const int MaxNameBytes = byte.MaxValue;

    /// <summary>Version, event time, written time, schema length and feature count: the least a valid value holds.</summary>
    public const int HeaderBytes = 1 + 8 + 8 + 2 + 2;

    public static byte[] Pack(FeatureRow row, long writtenUnixMs)
    {
        var size = 1 + 8 + 8 + 2 + Encoding.UTF8.GetByteCount(row.SchemaHash) + 2;
        foreach (var name in row.Values.Keys)
        {
            size += 1 + Encoding.UTF8.GetByteCount(name) + 8;
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], row.EventTime.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], writtenUnixMs);
        var at = 17;
        var schemaLength = Encoding.UTF8.GetBytes(row.SchemaHash, span[(at + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)schemaLength));
        at += 2 + schemaLength;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)row.Values.Count));
        at += 2;
        foreach (var (name, value) in row.Values)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, span[(at + 1)..]);
            span[at] = checked((byte)nameLength);
            at += 1 + nameLength;
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], value);
            at += 8;
        }

        return buffer;
    }
}

/// <summary>
/// Version 2 of the <c>featp:&lt;entityKey&gt;</c> string: the feature names, about 70 % of a v1 value, move to a
/// layout stored once. Little-endian: version byte (2), layout id (int64), event time and written time (unix ms,
/// int64), schema hash (uint16 length + UTF-8), feature count (uint16, must equal the layout's), then the values
/// (IEEE 754 float64, bit-exact) in layout order. The layout is the string <c>featlayout:&lt;id as 16 hex
/// digits&gt;</c>: version byte (1), name count (uint16), per name uint8 length + UTF-8; written without TTL, only if
/// absent, in the same transaction as every row that uses it. Its id is the first 8 bytes (little-endian) of the
/// SHA-256 of that value, so a reader can check a layout it fetched. The hash's <c>_packed</c> field stays v1.
/// </summary>
internal static class PackedFeaturesV2
{
    public const byte Version = 2;
    public const byte LayoutVersion = 1;

    /// <summary>Version, layout id, event time, written time, schema length and feature count.</summary>
    public const int HeaderBytes = 1 + 8 + 8 + 8 + 2 + 2;

    public static byte[] Pack(FeatureRow row, long writtenUnixMs, long layoutId)
    {
        var schemaBytes = Encoding.UTF8.GetByteCount(row.SchemaHash);
        var buffer = new byte[HeaderBytes + schemaBytes + (8 * row.Values.Count)];
        var span = buffer.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], layoutId);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], row.EventTime.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[17..], writtenUnixMs);
        var at = 25;
        Encoding.UTF8.GetBytes(row.SchemaHash, span[(at + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)schemaBytes));
        at += 2 + schemaBytes;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)row.Values.Count));
        at += 2;
        foreach (var value in row.Values.Values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], value);
            at += 8;
        }

        return buffer;
    }

    /// <summary>The stored layout of <paramref name="names"/> (in order).</summary>
    public static byte[] PackLayout(IReadOnlyList<string> names)
    {
        var size = 1 + 2;
        foreach (var name in names)
        {
            size += 1 + Encoding.UTF8.GetByteCount(name);
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        span[0] = LayoutVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(span[1..], checked((ushort)names.Count));
        var at = 3;
        foreach (var name in names)
        {
            var length = Encoding.UTF8.GetBytes(name, span[(at + 1)..]);
            span[at] = checked((byte)length);
            at += 1 + length;
        }

        return buffer;
    }

    public static long LayoutId(ReadOnlySpan<byte> layout)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(layout, hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }

    /// <summary>The names of a stored layout, or null when it is not a valid layout of <paramref name="id"/>.</summary>
    public static string[]? UnpackLayout(ReadOnlySpan<byte> layout, long id, Func<ReadOnlySpan<byte>, string> decode)
    {
        if (layout.Length < 3 || layout[0] != LayoutVersion || LayoutId(layout) != id)
        {
            return null;
        }

        var names = new string[BinaryPrimitives.ReadUInt16LittleEndian(layout[1..])];
        var at = 3;
        for (var k = 0; k < names.Length; k++)
        {
            if (at >= layout.Length || at + 1 + layout[at] > layout.Length)
            {
                return null;
            }

            names[k] = decode(layout.Slice(at + 1, layout[at]));
            at += 1 + layout[at];
        }

        return at == layout.Length ? names : null;
    }
}
