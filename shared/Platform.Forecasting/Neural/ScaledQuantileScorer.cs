namespace Platform.Forecasting.Neural;

/// <summary>
/// Runs the network (in C# or through ONNX Runtime) on <paramref name="rows"/> input rows and writes the scaled
/// P10, P50 and P90 rows ([rows × horizon] each).
/// </summary>
internal delegate void ScaledQuantileScorer(ReadOnlySpan<float> features, int rows, Span<float> p10, Span<float> p50, Span<float> p90);
