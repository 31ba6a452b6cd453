namespace Platform.Forecasting.Neural;

/// <summary>
/// How one input row of the network is built from a series, and how its outputs map back to the series' units.
/// Training, the C# forecast and the ONNX forecast all go through this one class, so there is no skew between them.
/// <para>Row layout ([batch, <see cref="FeatureCount"/>] float32, in this order):</para>
/// <list type="number">
/// <item>lag_L … lag_1: the last <see cref="Lookback"/> values before the origin, oldest first, divided by the scale s.</item>
/// <item>log_scale_z: (ln s − <see cref="LevelMean"/>) / <see cref="LevelStd"/>, so the model knows the series' size.</item>
/// <item>hour_sin, hour_cos, week_sin, week_cos, season_sin, season_cos: the origin period's time of day, time of
/// week (Monday 00:00 = 0) and position in the season (period number since 0001-01-01 modulo the season length),
/// each as a point on the unit circle.</item>
/// <item>cov_* then cov_present, only when <see cref="CovariateCount"/> &gt; 0: standardised covariates (zeros when
/// absent, NaN read as the mean, clipped to ±<see cref="CovariateClip"/>) and 1/0 for present/absent.</item>
/// </list>
/// Scale s = mean |value| over the window, or 1 when that is 0 (an all-zero window). Outputs are in the same scaled
/// units: forecast = output × s, then clamped at 0 when <see cref="NonNegative"/>.
/// </summary>
public sealed class NeuralFeatureLayout
{
    public const string ScalingMethod = "mean_abs_window";
    public const int CalendarFeatureCount = 6;
    public const float CovariateClip = 10f;

    /// <summary>Below this the window counts as all-zero and the scale is 1.</summary>
    public const double MinimumScale = 1e-12;

    public required int Lookback { get; init; }

    public required int Horizon { get; init; }

    public required int SeasonLength { get; init; }

    public required TimeSpan Step { get; init; }

    public double LevelMean { get; init; }

    public double LevelStd { get; init; } = 1.0;

    /// <summary>Clamp forecasts at zero (set when every training value was ≥ 0, as demand is).</summary>
    public bool NonNegative { get; init; }

    public IReadOnlyList<string> CovariateNames { get; init; } = [];

    public IReadOnlyList<float> CovariateMeans { get; init; } = [];

    public IReadOnlyList<float> CovariateStds { get; init; } = [];

    public int CovariateCount => CovariateNames.Count;

    public int FeatureCount => Lookback + 1 + CalendarFeatureCount + (CovariateCount > 0 ? CovariateCount + 1 : 0);

    /// <summary>Column names in row order (written to the model metadata).</summary>
    public IReadOnlyList<string> ColumnNames()
    {
        var names = new List<string>(FeatureCount);
        for (var k = Lookback; k >= 1; k--)
        {
            names.Add($"lag_{k}");
        }

        names.Add("log_scale_z");
        names.AddRange(["hour_sin", "hour_cos", "week_sin", "week_cos", "season_sin", "season_cos"]);
        if (CovariateCount > 0)
        {
            names.AddRange(CovariateNames.Select(n => $"cov_{n}"));
            names.Add("cov_present");
        }

        return names;
    }

    /// <summary>Throws with a clear message when the layout is inconsistent (for example hand-edited metadata).</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new InvalidDataException(message);
            }
        }

        Check(Lookback >= 1, $"Lookback must be at least 1 (got {Lookback}).");
        Check(Horizon >= 1, $"Horizon must be at least 1 (got {Horizon}).");
        Check(SeasonLength >= 1, $"Season length must be at least 1 (got {SeasonLength}).");
        Check(Step > TimeSpan.Zero, $"Step must be positive (got {Step}).");
        Check(double.IsFinite(LevelMean) && double.IsFinite(LevelStd) && LevelStd > 0, "Level mean and standard deviation must be finite, the deviation positive.");
        Check(CovariateMeans.Count == CovariateCount && CovariateStds.Count == CovariateCount,
            $"{CovariateCount} covariate names need as many means and standard deviations (got {CovariateMeans.Count} and {CovariateStds.Count}).");
        Check(CovariateStds.All(s => float.IsFinite(s) && s > 0) && CovariateMeans.All(float.IsFinite), "Covariate means must be finite and standard deviations positive.");
    }

    /// <summary>The scale of the <paramref name="lookback"/> values just before <paramref name="origin"/>.</summary>
    public static double WindowScale(ReadOnlySpan<double> values, int origin, int lookback)
    {
        double sum = 0;
        foreach (var v in values.Slice(origin - lookback, lookback))
        {
            sum += Math.Abs(v);
        }

        var scale = sum / lookback;
        return scale > MinimumScale ? scale : 1.0;
    }

    /// <summary>
    /// Writes the input row for forecasting <paramref name="series"/> from <paramref name="origin"/> (index of the
    /// first forecast period; needs origin ≥ <see cref="Lookback"/>) and returns the scale s. Covariates are read
    /// only when <paramref name="covariatePresent"/> is true.
    /// </summary>
    public double WriteFeatures(TimeSeries series, int origin, ReadOnlySpan<float> covariates, bool covariatePresent, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (origin < Lookback || origin > series.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(origin), origin, $"An origin needs {Lookback} earlier values and must lie within the series.");
        }

        var row = destination[..FeatureCount];
        var scale = WindowScale(series.Values, origin, Lookback);
        var window = series.Values.AsSpan(origin - Lookback, Lookback);
        var inverse = 1.0 / scale;
        for (var i = 0; i < Lookback; i++)
        {
            row[i] = (float)(window[i] * inverse);
        }

        row[Lookback] = (float)((Math.Log(scale) - LevelMean) / LevelStd);
        WriteCalendar(series.TimestampAt(origin), row.Slice(Lookback + 1, CalendarFeatureCount));
        if (CovariateCount > 0)
        {
            var cov = row.Slice(Lookback + 1 + CalendarFeatureCount, CovariateCount + 1);
            if (covariatePresent)
            {
                for (var j = 0; j < CovariateCount; j++)
                {
                    var v = covariates[j];
                    cov[j] = float.IsFinite(v) ? Math.Clamp((v - CovariateMeans[j]) / CovariateStds[j], -CovariateClip, CovariateClip) : 0f;
                }

                cov[CovariateCount] = 1f;
            }
            else
            {
                cov.Clear();
            }
        }

        return scale;
    }

    /// <summary>Writes the scaled targets (the <see cref="Horizon"/> values from <paramref name="origin"/>).</summary>
    public void WriteTargets(TimeSeries series, int origin, double scale, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(series);
        var inverse = 1.0 / scale;
        for (var h = 0; h < Horizon; h++)
        {
            destination[h] = (float)(series.Values[origin + h] * inverse);
        }
    }

    /// <summary>
    /// Turns one row of scaled outputs into a forecast in the series' units, or null when an output is not finite
    /// (the caller then falls back). Monotone order survives because s &gt; 0 and the clamp is monotone.
    /// </summary>
    public QuantileForecast? Unscale(ReadOnlySpan<float> p10, ReadOnlySpan<float> p50, ReadOnlySpan<float> p90, double scale)
    {
        var lo = new double[Horizon];
        var mid = new double[Horizon];
        var hi = new double[Horizon];
        var floor = NonNegative ? 0.0 : double.NegativeInfinity;
        for (var h = 0; h < Horizon; h++)
        {
            double a = p10[h] * scale, m = p50[h] * scale, b = p90[h] * scale;
            if (!double.IsFinite(a) || !double.IsFinite(m) || !double.IsFinite(b))
            {
                return null;
            }

            // The network guarantees a ≤ m ≤ b; Min/Max only guard against float rounding at equal values.
            mid[h] = Math.Max(m, floor);
            lo[h] = Math.Min(Math.Max(a, floor), mid[h]);
            hi[h] = Math.Max(b, mid[h]);
        }

        return new QuantileForecast(lo, mid, hi);
    }

    /// <summary>Six calendar features of the period starting at <paramref name="timestamp"/>.</summary>
    public void WriteCalendar(DateTime timestamp, Span<float> destination)
    {
        var dayFraction = timestamp.TimeOfDay.TotalDays;
        var mondayBased = ((int)timestamp.DayOfWeek + 6) % 7;
        var weekFraction = (mondayBased + dayFraction) / 7.0;
        var period = timestamp.Ticks / Step.Ticks;
        var seasonFraction = SeasonLength > 1 ? (double)(period % SeasonLength) / SeasonLength : 0.0;
        WriteCircle(dayFraction, destination, 0);
        WriteCircle(weekFraction, destination, 2);
        WriteCircle(seasonFraction, destination, 4);
    }

    private static void WriteCircle(double fraction, Span<float> destination, int offset)
    {
        var angle = 2.0 * Math.PI * fraction;
        destination[offset] = (float)Math.Sin(angle);
        destination[offset + 1] = (float)Math.Cos(angle);
    }
}
