namespace Platform.Inference.Scoring;

/// <summary>
/// Scores <paramref name="rows"/> ready-built input rows ([rows × F] float32, NeuralFeatureLayout's row) into scaled
/// P10/P50/P90 ([rows × H] each): the shape of <c>OnnxQuantileForecaster.ScoreScaled</c>.
/// </summary>
public delegate void RowScorer(ReadOnlySpan<float> features, int rows, Span<float> p10, Span<float> p50, Span<float> p90);
