namespace Platform.Forecasting.Neural;

/// <summary>Network size and training settings of <see cref="NeuralQuantileForecaster"/>; the defaults suit hourly and daily demand.</summary>
public sealed record NeuralForecasterOptions
{
    /// <summary>Longest week (in periods) the automatic lookback covers; longer weeks (sub-hourly steps) are left to the calendar features.</summary>
    public const int MaxAutoWeekLookback = 200;

    /// <summary>
    /// Window length L; null picks max(2 × season, horizon, one week of periods when that is at most
    /// <see cref="MaxAutoWeekLookback"/>, 8), capped so the median series still yields training windows. A week matters
    /// for hourly demand: on the hourly benchmark L = 168 took wQL from 0.168 to 0.161 against L = 48.
    /// </summary>
    public int? Lookback { get; init; }

    public int Hidden1 { get; init; } = 128;

    public int Hidden2 { get; init; } = 128;

    public int BatchSize { get; init; } = 256;

    public float LearningRate { get; init; } = 2e-3f;

    public int MaxEpochs { get; init; } = 60;

    /// <summary>Stop after this many epochs without a better validation loss; the learning rate halves every 2 of them.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Windows drawn (without replacement, fresh each epoch) per epoch when more are available.</summary>
    public int SamplesPerEpoch { get; init; } = 32_768;

    /// <summary>Most candidate training windows kept (a seeded subsample beyond it), which bounds memory on large inputs.</summary>
    public int MaxTrainingWindows { get; init; } = 1_000_000;

    /// <summary>Most validation windows evaluated each epoch (a seeded subsample beyond it).</summary>
    public int MaxValidationWindows { get; init; } = 8_192;

    /// <summary>Initial half-width of the interval in scaled units (P50 − P10 and P90 − P50 before training).</summary>
    public float InitialHalfWidth { get; init; } = 0.3f;

    /// <summary>
    /// Each batch is split into this many fixed slices computed in parallel and summed in slice order, so the weights
    /// depend on this number but never on thread timing or the machine's core count.
    /// </summary>
    public int Slices { get; init; } = 2;

    public ulong Seed { get; init; } = 42;

    /// <summary>
    /// Clamp forecasts at zero. Null (the default) clamps when every training value is ≥ 0; set true for demand whose
    /// history nets out cancellations (and so has a few negative periods) when forecasts must still be ≥ 0.
    /// </summary>
    public bool? NonNegative { get; init; }

    /// <summary>Names of the optional covariates a <see cref="CovariateProvider"/> supplies; empty for none.</summary>
    public IReadOnlyList<string> CovariateNames { get; init; } = [];

    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }

        Check(Lookback is null or >= 1, "Lookback must be at least 1.");
        Check(Hidden1 >= 1 && Hidden2 >= 1, "Hidden layer sizes must be at least 1.");
        Check(BatchSize >= 1, "BatchSize must be at least 1.");
        Check(float.IsFinite(LearningRate) && LearningRate > 0, "LearningRate must be a positive number.");
        Check(MaxEpochs >= 1, "MaxEpochs must be at least 1.");
        Check(Patience >= 1, "Patience must be at least 1.");
        Check(SamplesPerEpoch >= 1, "SamplesPerEpoch must be at least 1.");
        Check(MaxTrainingWindows >= 1 && MaxValidationWindows >= 1, "MaxTrainingWindows and MaxValidationWindows must be at least 1.");
        Check(float.IsFinite(InitialHalfWidth) && InitialHalfWidth > 0, "InitialHalfWidth must be a positive number.");
        Check(Slices is >= 1 and <= 64, "Slices must be between 1 and 64.");
        ArgumentNullException.ThrowIfNull(CovariateNames);
        Check(CovariateNames.All(n => !string.IsNullOrWhiteSpace(n)) && CovariateNames.Distinct(StringComparer.Ordinal).Count() == CovariateNames.Count,
            "Covariate names must be non-empty and distinct.");
    }

    /// <summary>The window length used for these series: see <see cref="Lookback"/>.</summary>
    public int ResolveLookback(IReadOnlyList<TimeSeries> series, ForecastRequest request)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(request);
        var preferred = Lookback ?? AutoLookback(series, request);
        if (series.Count == 0)
        {
            return preferred;
        }

        var lengths = series.Select(s => s.Length).Order().ToArray();
        var median = lengths[lengths.Length / 2];

        // The median series should give at least H training windows beside H validation windows.
        var cap = median - 3 * request.Horizon + 1;
        if (cap < 1)
        {
            cap = Math.Max(1, median - request.Horizon);
        }

        return Math.Min(preferred, cap);
    }

    private static int AutoLookback(IReadOnlyList<TimeSeries> series, ForecastRequest request)
    {
        var lookback = Math.Max(Math.Max(2 * request.SeasonLength, request.Horizon), 8);
        if (series.Count > 0)
        {
            var week = TimeSpan.FromDays(7).Ticks / series[0].Step.Ticks;
            if (week <= MaxAutoWeekLookback)
            {
                lookback = Math.Max(lookback, (int)week);
            }
        }

        return lookback;
    }
}
