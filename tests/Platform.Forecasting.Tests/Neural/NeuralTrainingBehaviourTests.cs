using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Tests.Neural;

public class NeuralTrainingBehaviourTests
{
    private static readonly ForecastRequest Daily24 = new(24, 24);

    [Fact]
    public void Neural_SameSeedGivesIdenticalWeights()
    {
        var history = SyntheticDemand.Hourly(10, 300, seed: 5);

        var first = new NeuralQuantileForecaster(Tiny(123)).Fit(history, Daily24);
        var second = new NeuralQuantileForecaster(Tiny(123)).Fit(history, Daily24);
        var other = new NeuralQuantileForecaster(Tiny(124)).Fit(history, Daily24);

        for (var p = 0; p < first.Network.Parameters.Count; p++)
        {
            Assert.Equal(first.Network.Parameters[p], second.Network.Parameters[p]);
        }

        Assert.NotEqual(first.Network.W1, other.Network.W1);
        Assert.Equal(first.Predict(history)[3].P50, second.Predict(history)[3].P50);
    }

    [Fact]
    public void Neural_AllSeriesTooShortFallBackToNaive()
    {
        var history = Enumerable.Range(0, 3)
            .Select(i => new TimeSeries($"s{i}", SyntheticDemand.Start, TimeSpan.FromHours(1), Enumerable.Range(0, 20).Select(t => (double)(t + i)).ToArray()))
            .ToArray();
        var forecaster = new NeuralQuantileForecaster(Tiny(1));

        var forecasts = forecaster.FitPredict(history, Daily24);

        Assert.Null(forecaster.LastModel);
        for (var i = 0; i < 3; i++)
        {
            Assert.All(forecasts[i].P50, v => Assert.Equal(19 + i, v));
            Assert.All(forecasts[i].P10, v => Assert.True(v <= 19 + i));
        }

        Assert.Throws<InsufficientHistoryException>(() => forecaster.Fit(history, Daily24));
    }

    [Fact]
    public void Neural_ConstantSeriesGiveFiniteNearConstantForecasts()
    {
        double[] levels = [0, 0.5, 3.5, 40, 1000];
        var history = levels
            .Select((level, i) => new TimeSeries($"flat{i}", SyntheticDemand.Start, TimeSpan.FromHours(1), Enumerable.Repeat(level, 300).ToArray()))
            .ToArray();

        var forecasts = new NeuralQuantileForecaster(Tiny(3) with { MaxEpochs = 10 }).FitPredict(history, Daily24);

        for (var i = 0; i < levels.Length; i++)
        {
            var f = forecasts[i];
            Assert.All(f.P10.Concat(f.P50).Concat(f.P90), v => Assert.True(double.IsFinite(v) && v >= 0));
            Assert.All(f.P50, v => Assert.InRange(v, levels[i] * 0.8 - 0.1, levels[i] * 1.2 + 0.1));
        }
    }

    [Fact]
    public void Neural_RejectsBadSeriesWithTheirName()
    {
        var good = new TimeSeries("good", SyntheticDemand.Start, TimeSpan.FromHours(1), new double[100]);
        var nan = new TimeSeries("broken", SyntheticDemand.Start, TimeSpan.FromHours(1), [1, 2, double.NaN, 4]);
        var empty = new TimeSeries("empty", SyntheticDemand.Start, TimeSpan.FromHours(1), []);
        var daily = new TimeSeries("daily", SyntheticDemand.Start, TimeSpan.FromDays(1), new double[100]);
        var forecaster = new NeuralQuantileForecaster(Tiny(1));

        Assert.Contains("'broken'", Assert.Throws<ArgumentException>(() => forecaster.FitPredict([good, nan], Daily24)).Message);
        Assert.Contains("'empty'", Assert.Throws<ArgumentException>(() => forecaster.FitPredict([good, empty], Daily24)).Message);
        Assert.Contains("'daily'", Assert.Throws<ArgumentException>(() => forecaster.FitPredict([good, daily], Daily24)).Message);
        Assert.Empty(forecaster.FitPredict([], Daily24));
    }

    [Fact]
    public void Neural_KnownFuturePromotionsAsCovariatesImproveForecasts()
    {
        // Promotions triple demand in random hours; their schedule for the next 4 hours is known in advance.
        const int horizon = 4;
        const int length = 480;
        const int trainLength = 400;
        var random = new DeterministicRandom(17);
        var promo = new Dictionary<string, bool[]>();
        var full = new List<TimeSeries>();
        foreach (var s in SyntheticDemand.Hourly(30, length, seed: 8))
        {
            var flags = Enumerable.Range(0, length + horizon).Select(_ => random.NextDouble() < 0.2).ToArray();
            var values = s.Values.Select((v, t) => flags[t] ? v + SyntheticDemand.Poisson(2 * Math.Max(v, 1), random) : v).ToArray();
            promo[s.Id] = flags;
            full.Add(new TimeSeries(s.Id, s.Start, s.Step, values));
        }

        bool Covariates(TimeSeries series, int origin, Span<float> destination)
        {
            for (var k = 0; k < horizon; k++)
            {
                destination[k] = promo[series.Id][origin + k] ? 1f : 0f;
            }

            return true;
        }

        var request = new ForecastRequest(horizon, 24);
        var train = full.Select(s => s.Head(trainLength)).ToArray();
        var names = Enumerable.Range(1, horizon).Select(k => $"promo_h{k}").ToArray();
        var withCovariates = new NeuralQuantileForecaster(Tiny(4) with { CovariateNames = names, MaxEpochs = 15, Hidden1 = 32, Hidden2 = 32 }, Covariates).Fit(train, request);
        var without = new NeuralQuantileForecaster(Tiny(4) with { MaxEpochs = 15, Hidden1 = 32, Hidden2 = 32 }).Fit(train, request);

        // Out of sample: forecast from 10 later cut points per series.
        var heads = new List<TimeSeries>();
        var actuals = new List<double[]>();
        for (var cut = trainLength; cut + horizon <= length; cut += 8)
        {
            foreach (var s in full)
            {
                heads.Add(s.Head(cut));
                actuals.Add(s.Values[cut..(cut + horizon)]);
            }
        }

        var lossWith = SyntheticDemand.MeanPinball(actuals, withCovariates.Predict(heads, Covariates));
        var lossWithout = SyntheticDemand.MeanPinball(actuals, without.Predict(heads));
        var lossAbsent = SyntheticDemand.MeanPinball(actuals, withCovariates.Predict(heads));

        Assert.Equal(withCovariates.Layout.FeatureCount, without.Layout.FeatureCount + horizon + 1);
        Assert.True(lossWith < 0.9 * lossWithout, $"with covariates {lossWith:F4}, without {lossWithout:F4}");
        Assert.True(double.IsFinite(lossAbsent));
    }

    [Fact]
    public void Neural_NetDemandWithCancellationsCanBeClampedAtZero()
    {
        // Net demand: every 50th hour a cancellation outweighs the sales.
        var history = SyntheticDemand.Hourly(8, 300, seed: 12)
            .Select(s => new TimeSeries(s.Id, s.Start, s.Step, s.Values.Select((v, t) => t % 50 == 7 ? -5.0 : v).ToArray()))
            .ToArray();

        var auto = new NeuralQuantileForecaster(Tiny(6));
        auto.FitPredict(history, Daily24);
        var clamped = new NeuralQuantileForecaster(Tiny(6) with { NonNegative = true });
        var forecasts = clamped.FitPredict(history, Daily24);

        Assert.False(auto.LastModel!.Layout.NonNegative);
        Assert.True(clamped.LastModel!.Layout.NonNegative);
        Assert.All(forecasts, f => Assert.All(f.P10, v => Assert.True(v >= 0)));
    }

    [Fact]
    public void Neural_ProgressReachesOne()
    {
        var reports = new List<double>();
        var progress = new SynchronousProgress(reports);
        new NeuralQuantileForecaster(Tiny(2)).FitPredict(SyntheticDemand.Hourly(6, 300, seed: 1), Daily24, progress);

        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1]);
        Assert.All(reports, r => Assert.InRange(r, 0.0, 1.0));
    }

    private static NeuralForecasterOptions Tiny(ulong seed) => new()
    {
        Hidden1 = 16,
        Hidden2 = 16,
        MaxEpochs = 4,
        SamplesPerEpoch = 2048,
        Seed = seed,
    };

    private sealed class SynchronousProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }
}
