using Platform.Forecasting.Onnx;

namespace Platform.Forecasting.Tests.Onnx;

public class ProtobufWriterTests
{
    [Fact]
    public void Protobuf_EncodesVarintsAndFieldsAsTheSpecExamples()
    {
        // https://protobuf.dev/programming-guides/encoding/: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
        var writer = new ProtobufWriter();
        writer.Int64(1, 150);
        writer.String(2, "testing");

        Assert.Equal(Convert.FromHexString("089601120774657374696E67"), writer.ToArray());
    }

    [Fact]
    public void Protobuf_NegativeInt64TakesTenBytesAndNestedMessagesAreLengthPrefixed()
    {
        var negative = new ProtobufWriter();
        negative.Int64(1, -1);
        Assert.Equal(Convert.FromHexString("08FFFFFFFFFFFFFFFFFF01"), negative.ToArray());

        var nested = new ProtobufWriter();
        nested.Message(3, inner => inner.Int64(1, 150));
        nested.PackedInt64(4, [3, 270]);
        Assert.Equal(Convert.FromHexString("1A03089601" + "2203038E02"), nested.ToArray());
    }
}
