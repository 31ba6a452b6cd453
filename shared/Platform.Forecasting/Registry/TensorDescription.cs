namespace Platform.Forecasting.Registry;

/// <summary>One input or output of model.onnx.</summary>
/// <param name="Name">Tensor name in the graph.</param>
/// <param name="ElementType">"float32".</param>
/// <param name="Shape">Dimensions, symbolic ("batch") or fixed ("187").</param>
/// <param name="Columns">For the input: what each column of the last dimension holds, in order.</param>
public sealed record TensorDescription(string Name, string ElementType, IReadOnlyList<string> Shape, IReadOnlyList<string>? Columns = null);
