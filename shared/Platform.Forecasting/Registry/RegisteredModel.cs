using Platform.Forecasting.Neural;
using Platform.Forecasting.Onnx;

namespace Platform.Forecasting.Registry;

/// <summary>A loaded, verified registry version: its metadata, its folder and the model file.</summary>
public sealed class RegisteredModel
{
    internal RegisteredModel(string directory, ModelMetadata metadata, byte[] onnxModel)
    {
        Directory = directory;
        Metadata = metadata;
        OnnxModel = onnxModel;
        Layout = metadata.ToLayout();
    }

    public int Version => Metadata.Version;

    public string Directory { get; }

    public string ModelPath => Path.Combine(Directory, ModelRegistry.ModelFileName);

    public ModelMetadata Metadata { get; }

    public NeuralFeatureLayout Layout { get; }

    /// <summary>The bytes of model.onnx, already checked against the recorded SHA-256.</summary>
    public byte[] OnnxModel { get; }

    /// <summary>An ONNX Runtime forecaster for this version (CPU unless <paramref name="options"/> asks for CUDA).</summary>
    public OnnxQuantileForecaster CreateForecaster(OnnxForecasterOptions? options = null, Action<string>? log = null) =>
        new(OnnxModel, Layout, options, log);
}
