using System.Buffers.Binary;
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
