namespace Platform.Forecasting.Neural;

/// <summary>
/// Supplies optional extra inputs for one forecast origin of one series, for example the feature store's vector of
/// the series' entity as of the period before <paramref name="originIndex"/>. Write
/// <see cref="NeuralFeatureLayout.CovariateCount"/> values into <paramref name="destination"/> and return true, or
/// return false when the series has none at that point (the model then sees zeros and a "covariates absent" flag).
/// NaN entries are allowed (undefined features) and are read as the training mean.
/// </summary>
/// <param name="series">The series being forecast.</param>
/// <param name="originIndex">Index of the first forecast period; only values before it may be used (no lookahead).</param>
/// <param name="destination">Room for exactly the covariate count.</param>
public delegate bool CovariateProvider(TimeSeries series, int originIndex, Span<float> destination);
