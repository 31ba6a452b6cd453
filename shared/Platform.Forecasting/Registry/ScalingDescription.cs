namespace Platform.Forecasting.Registry;

/// <summary>How input rows are scaled and outputs unscaled (see NeuralFeatureLayout).</summary>
/// <param name="Method">"mean_abs_window": s = mean |value| over the lookback window, 1 when below <paramref name="MinimumScale"/>.</param>
/// <param name="MinimumScale">Below this a window counts as all-zero.</param>
/// <param name="LevelMean">Mean of ln s over the training windows (centres the log_scale_z column).</param>
/// <param name="LevelStd">Standard deviation of ln s over the training windows.</param>
/// <param name="NonNegative">Forecasts are clamped at 0 (every training value was ≥ 0).</param>
/// <param name="CovariateNames">Optional covariates in column order; empty for none.</param>
/// <param name="CovariateMeans">Training means used to standardise each covariate.</param>
/// <param name="CovariateStds">Training standard deviations used to standardise each covariate.</param>
public sealed record ScalingDescription(
    string Method,
    double MinimumScale,
    double LevelMean,
    double LevelStd,
    bool NonNegative,
    IReadOnlyList<string> CovariateNames,
    IReadOnlyList<float> CovariateMeans,
    IReadOnlyList<float> CovariateStds);
