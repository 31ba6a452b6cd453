namespace Platform.Forecasting.Neural;

/// <summary>
/// The (series, origin) pairs training draws from. For a series of n points the valid origins are L … n − H. The
/// last V of them (V = min(H, a fifth of the valid origins)) are validation windows; training windows end their
/// targets before the first validation target, so early stopping is judged on later data the model never fitted.
/// </summary>
internal sealed class TrainingWindows
{
    private TrainingWindows(int[] trainSeries, int[] trainOrigins, int[] validationSeries, int[] validationOrigins)
    {
        TrainSeries = trainSeries;
        TrainOrigins = trainOrigins;
        ValidationSeries = validationSeries;
        ValidationOrigins = validationOrigins;
    }

    public int[] TrainSeries { get; }

    public int[] TrainOrigins { get; }

    public int[] ValidationSeries { get; }

    public int[] ValidationOrigins { get; }

    public int TrainCount => TrainSeries.Length;

    public int ValidationCount => ValidationSeries.Length;

    public static TrainingWindows Collect(IReadOnlyList<TimeSeries> series, int lookback, int horizon, int maxTrain, int maxValidation, DeterministicRandom random)
    {
        long trainTotal = 0, validationTotal = 0;
        foreach (var s in series)
        {
            var (train, validation) = Ranges(s.Length, lookback, horizon);
            trainTotal += train.Count;
            validationTotal += validation.Count;
        }

        // Seeded Bernoulli subsampling keeps memory bounded on large inputs and spreads the kept windows evenly.
        var trainKeep = trainTotal > maxTrain ? (double)maxTrain / trainTotal : 1.0;
        var validationKeep = validationTotal > maxValidation ? (double)maxValidation / validationTotal : 1.0;
        var trainSeries = new List<int>((int)Math.Min(trainTotal, maxTrain + 1024));
        var trainOrigins = new List<int>(trainSeries.Capacity);
        var validationSeries = new List<int>((int)Math.Min(validationTotal, maxValidation + 1024));
        var validationOrigins = new List<int>(validationSeries.Capacity);
        for (var i = 0; i < series.Count; i++)
        {
            var (train, validation) = Ranges(series[i].Length, lookback, horizon);
            Add(i, train, trainKeep, trainSeries, trainOrigins, random);
            Add(i, validation, validationKeep, validationSeries, validationOrigins, random);
        }

        return new TrainingWindows([.. trainSeries], [.. trainOrigins], [.. validationSeries], [.. validationOrigins]);
    }

    /// <summary>Origins [start, start + count) for training and for validation in a series of <paramref name="length"/> points.</summary>
    public static ((int Start, int Count) Train, (int Start, int Count) Validation) Ranges(int length, int lookback, int horizon)
    {
        var valid = length - horizon - lookback + 1;
        if (valid <= 0)
        {
            return ((lookback, 0), (lookback, 0));
        }

        var validation = Math.Min(horizon, valid / 5);
        if (validation == 0)
        {
            return ((lookback, valid), (lookback, 0));
        }

        // Training targets [o, o + H) must end at or before the first validation target. A series too short for
        // both trains on all its windows rather than contributing only validation.
        var validationStart = length - horizon - validation + 1;
        var trainCount = validationStart - horizon - lookback + 1;
        return trainCount > 0 ? ((lookback, trainCount), (validationStart, validation)) : ((lookback, valid), (lookback, 0));
    }

    private static void Add(int series, (int Start, int Count) range, double keep, List<int> seriesIds, List<int> origins, DeterministicRandom random)
    {
        for (var o = range.Start; o < range.Start + range.Count; o++)
        {
            if (keep >= 1.0 || random.NextDouble() < keep)
            {
                seriesIds.Add(series);
                origins.Add(o);
            }
        }
    }
}
