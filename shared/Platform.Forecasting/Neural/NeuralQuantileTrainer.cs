using System.Diagnostics;

namespace Platform.Forecasting.Neural;

/// <summary>
/// Trains one <see cref="QuantileMlp"/> across all series: seeded sliding windows, Adam on mini-batches of the
/// pinball loss, learning rate halved on plateaus, early stopping on the validation windows (the end of each series)
/// keeping the best epoch's weights. Each batch is split into fixed slices whose gradients are computed in parallel
/// and summed in slice order, so a seed gives bit-identical weights on a given machine.
/// </summary>
internal sealed class NeuralQuantileTrainer
{
    private const int StatisticsSample = 20_000;
    private readonly NeuralForecasterOptions _options;
    private readonly CovariateProvider? _covariates;

    public NeuralQuantileTrainer(NeuralForecasterOptions options, CovariateProvider? covariates)
    {
        _options = options;
        _covariates = covariates;
    }

    public NeuralQuantileModel Train(IReadOnlyList<TimeSeries> series, ForecastRequest request, IProgress<double>? progress)
    {
        var clock = Stopwatch.StartNew();
        var random = new DeterministicRandom(_options.Seed);
        var lookback = _options.ResolveLookback(series, request);
        var windows = TrainingWindows.Collect(series, lookback, request.Horizon, _options.MaxTrainingWindows, _options.MaxValidationWindows, random);
        if (windows.TrainCount == 0)
        {
            throw new InsufficientHistoryException(
                $"No series has the {lookback + request.Horizon} points one training window needs (lookback {lookback} + horizon {request.Horizon}); " +
                $"the longest has {(series.Count == 0 ? 0 : series.Max(s => s.Length))}.");
        }

        var layout = BuildLayout(series, request, lookback, windows);
        var network = new QuantileMlp(layout.FeatureCount, _options.Hidden1, _options.Hidden2, request.Horizon);
        network.Initialize(random, MedianPrior(layout), _options.InitialHalfWidth);

        var run = new TrainingRun(network, layout, series, _options, _covariates, windows);
        var optimizer = new AdamOptimizer(network, _options.LearningRate);
        var best = network.Clone();
        var bestLoss = double.PositiveInfinity;
        var bestEpoch = 0;
        var badEpochs = 0;
        var epochs = 0;
        var lastTrainLoss = double.NaN;
        var order = Enumerable.Range(0, windows.TrainCount).ToArray();
        var perEpoch = Math.Min(order.Length, _options.SamplesPerEpoch);
        for (var epoch = 1; epoch <= _options.MaxEpochs; epoch++)
        {
            epochs = epoch;
            random.Shuffle(order.AsSpan());
            lastTrainLoss = run.TrainEpoch(order.AsSpan(0, perEpoch), optimizer);
            if (windows.ValidationCount == 0)
            {
                best.CopyFrom(network);
                bestEpoch = epoch;
            }
            else
            {
                var validationLoss = run.ValidationLoss();
                if (validationLoss < bestLoss * (1 - 1e-4))
                {
                    bestLoss = validationLoss;
                    bestEpoch = epoch;
                    best.CopyFrom(network);
                    badEpochs = 0;
                }
                else
                {
                    badEpochs++;
                    if (badEpochs >= _options.Patience)
                    {
                        progress?.Report(1.0);
                        break;
                    }

                    if (badEpochs % 2 == 0)
                    {
                        optimizer.LearningRate *= 0.5f;
                    }
                }
            }

            progress?.Report((double)epoch / _options.MaxEpochs);
        }

        network.CopyFrom(best);
        var summary = new NeuralTrainingSummary(
            epochs,
            bestEpoch,
            windows.ValidationCount == 0 ? double.NaN : bestLoss,
            lastTrainLoss,
            windows.TrainCount,
            windows.ValidationCount,
            series.Count,
            network.ParameterCount,
            clock.Elapsed.TotalSeconds);
        return new NeuralQuantileModel(layout, network, summary);
    }

    /// <summary>Input column holding the seasonal-naive value for each step (the last value when the season exceeds the window).</summary>
    internal static int[] MedianPrior(NeuralFeatureLayout layout)
    {
        var prior = new int[layout.Horizon];
        var season = layout.SeasonLength;
        for (var h = 0; h < prior.Length; h++)
        {
            prior[h] = season <= layout.Lookback ? layout.Lookback - season + (h % season) : layout.Lookback - 1;
        }

        return prior;
    }

    private NeuralFeatureLayout BuildLayout(IReadOnlyList<TimeSeries> series, ForecastRequest request, int lookback, TrainingWindows windows)
    {
        var covariateCount = _options.CovariateNames.Count;
        var stride = Math.Max(1, windows.TrainCount / StatisticsSample);
        double levelSum = 0, levelSquares = 0;
        var levelCount = 0;
        var covSum = new double[covariateCount];
        var covSquares = new double[covariateCount];
        var covCount = new int[covariateCount];
        var buffer = new float[covariateCount];
        for (var i = 0; i < windows.TrainCount; i += stride)
        {
            var s = series[windows.TrainSeries[i]];
            var origin = windows.TrainOrigins[i];
            var level = Math.Log(NeuralFeatureLayout.WindowScale(s.Values, origin, lookback));
            levelSum += level;
            levelSquares += level * level;
            levelCount++;
            if (_covariates is not null && covariateCount > 0)
            {
                Array.Clear(buffer);
                if (_covariates(s, origin, buffer))
                {
                    for (var j = 0; j < covariateCount; j++)
                    {
                        if (float.IsFinite(buffer[j]))
                        {
                            covSum[j] += buffer[j];
                            covSquares[j] += (double)buffer[j] * buffer[j];
                            covCount[j]++;
                        }
                    }
                }
            }
        }

        var (levelMean, levelStd) = MeanStd(levelSum, levelSquares, levelCount);
        var means = new float[covariateCount];
        var stds = new float[covariateCount];
        for (var j = 0; j < covariateCount; j++)
        {
            var (m, sd) = MeanStd(covSum[j], covSquares[j], covCount[j]);
            means[j] = (float)m;
            stds[j] = (float)sd;
        }

        return new NeuralFeatureLayout
        {
            Lookback = lookback,
            Horizon = request.Horizon,
            SeasonLength = request.SeasonLength,
            Step = series[0].Step,
            LevelMean = levelMean,
            LevelStd = levelStd,
            NonNegative = _options.NonNegative ?? series.All(s => s.Values.All(v => v >= 0)),
            CovariateNames = [.. _options.CovariateNames],
            CovariateMeans = means,
            CovariateStds = stds,
        };
    }

    /// <summary>Mean and standard deviation; a deviation under 1e-6 (a constant input) becomes 1 so standardising stays finite.</summary>
    private static (double Mean, double Std) MeanStd(double sum, double squares, int count)
    {
        if (count == 0)
        {
            return (0.0, 1.0);
        }

        var mean = sum / count;
        var variance = Math.Max(0.0, squares / count - mean * mean);
        var std = Math.Sqrt(variance);
        return (mean, std < 1e-6 ? 1.0 : std);
    }
}
