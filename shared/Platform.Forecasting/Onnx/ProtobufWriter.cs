using System.Buffers.Binary;
using System.Text;

namespace Platform.Forecasting.Onnx;

/// <summary>
/// The protobuf wire format, as much of it as writing an ONNX model needs: varints, little-endian fixed32 and
/// length-delimited fields (https://protobuf.dev/programming-guides/encoding/). Nested messages are written into a
/// child writer and copied in with their length, which is simple and cheap at the sizes of this model.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int WireVarint = 0;
    private const int WireFixed32 = 5;
    private const int WireLengthDelimited = 2;
    private readonly MemoryStream _buffer = new();

    public void Int64(int field, long value)
    {
        Tag(field, WireVarint);
        Varint(unchecked((ulong)value));
    }

    public void Int32(int field, int value) => Int64(field, value);

    public void Float(int field, float value)
    {
        Tag(field, WireFixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A repeated int64 field in packed encoding (the proto3 default; proto2 parsers accept it too).</summary>
    public void PackedInt64(int field, IEnumerable<long> values)
    {
        var inner = new ProtobufWriter();
        foreach (var v in values)
        {
            inner.Varint(unchecked((ulong)v));
        }

        Bytes(field, inner.ToArray());
    }

    public void Message(int field, Action<ProtobufWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var inner = new ProtobufWriter();
        write(inner);
        Bytes(field, inner.ToArray());
    }

    public byte[] ToArray() => _buffer.ToArray();

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
