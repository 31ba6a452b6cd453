using System.Runtime.InteropServices;

namespace Platform.Forecasting.Onnx;

/// <summary>
/// Builds a single-graph ONNX model (ModelProto) from nodes, initializers and typed inputs/outputs. Field numbers
/// follow onnx/onnx.proto: ModelProto ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7,
/// opset_import 8, metadata_props 14; GraphProto node 1, name 2, initializer 5, input 11, output 12; NodeProto
/// input 1, output 2, name 3, op_type 4; TensorProto dims 1, data_type 2, name 8, raw_data 9; ValueInfoProto name 1,
/// type 2; TypeProto tensor_type 1; TypeProto.Tensor elem_type 1, shape 2; TensorShapeProto dim 1; Dimension
/// dim_value 1, dim_param 2; OperatorSetIdProto domain 1, version 2; StringStringEntryProto key 1, value 2.
/// </summary>
internal sealed class OnnxModelBuilder
{
    public const int ElementFloat = 1;
    public const int ElementInt64 = 7;

    private readonly List<Action<ProtobufWriter>> _nodes = [];
    private readonly List<Action<ProtobufWriter>> _initializers = [];
    private readonly List<Action<ProtobufWriter>> _inputs = [];
    private readonly List<Action<ProtobufWriter>> _outputs = [];
    private readonly List<string> _opTypes = [];

    /// <summary>Operator types used so far, in order of first use (the exporter's tests check them against an allow-list).</summary>
    public IReadOnlyList<string> OperatorTypes => _opTypes.Distinct().ToArray();

    public void FloatInitializer(string name, long[] dims, ReadOnlySpan<float> values)
    {
        CheckCount(name, dims, values.Length);
        var raw = MemoryMarshal.AsBytes(values).ToArray();
        _initializers.Add(w => Tensor(w, name, dims, ElementFloat, raw));
    }

    public void Int64Initializer(string name, long[] dims, ReadOnlySpan<long> values)
    {
        CheckCount(name, dims, values.Length);
        var raw = MemoryMarshal.AsBytes(values).ToArray();
        _initializers.Add(w => Tensor(w, name, dims, ElementInt64, raw));
    }

    public void Node(string opType, string name, string[] inputs, string[] outputs)
    {
        _opTypes.Add(opType);
        _nodes.Add(w =>
        {
            foreach (var input in inputs)
            {
                w.String(1, input);
            }

            foreach (var output in outputs)
            {
                w.String(2, output);
            }

            w.String(3, name);
            w.String(4, opType);
        });
    }

    /// <summary>A graph input; a dimension is a fixed size or, as a string, a symbolic one such as "batch".</summary>
    public void Input(string name, int elementType, params object[] dims) => _inputs.Add(w => ValueInfo(w, name, elementType, dims));

    public void Output(string name, int elementType, params object[] dims) => _outputs.Add(w => ValueInfo(w, name, elementType, dims));

    public byte[] Build(string graphName, long irVersion, long opset, string producerName, string producerVersion, string docString, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ProtobufWriter();
        model.Int64(1, irVersion);
        model.String(2, producerName);
        model.String(3, producerVersion);
        model.String(6, docString);
        model.Message(7, graph =>
        {
            foreach (var node in _nodes)
            {
                graph.Message(1, node);
            }

            graph.String(2, graphName);
            foreach (var initializer in _initializers)
            {
                graph.Message(5, initializer);
            }

            foreach (var input in _inputs)
            {
                graph.Message(11, input);
            }

            foreach (var output in _outputs)
            {
                graph.Message(12, output);
            }
        });
        model.Message(8, opsetId =>
        {
            opsetId.String(1, string.Empty);
            opsetId.Int64(2, opset);
        });
        foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            model.Message(14, entry =>
            {
                entry.String(1, key);
                entry.String(2, value);
            });
        }

        return model.ToArray();
    }

    private static void Tensor(ProtobufWriter w, string name, long[] dims, int elementType, byte[] raw)
    {
        // raw_data is little-endian by the ONNX spec; the bytes above are the machine's own order.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX export needs a little-endian machine.");
        }

        w.PackedInt64(1, dims);
        w.Int32(2, elementType);
        w.String(8, name);
        w.Bytes(9, raw);
    }

    private static void ValueInfo(ProtobufWriter w, string name, int elementType, object[] dims)
    {
        w.String(1, name);
        w.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Int32(1, elementType);
            tensor.Message(2, shape =>
            {
                foreach (var dim in dims)
                {
                    shape.Message(1, d =>
                    {
                        switch (dim)
                        {
                            case string symbolic:
                                d.String(2, symbolic);
                                break;
                            case int size:
                                d.Int64(1, size);
                                break;
                            case long size:
                                d.Int64(1, size);
                                break;
                            default:
                                throw new ArgumentException($"Dimension '{dim}' of '{name}' must be an int, a long or a symbolic name.");
                        }
                    });
                }
            });
        }));
    }

    private static void CheckCount(string name, long[] dims, int count)
    {
        var expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != count)
        {
            throw new ArgumentException($"Initializer '{name}' has {count} values but its shape [{string.Join(", ", dims)}] holds {expected}.");
        }
    }
}
