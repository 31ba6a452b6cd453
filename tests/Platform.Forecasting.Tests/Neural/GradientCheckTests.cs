using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Tests.Neural;

public class GradientCheckTests
{
    private const int Batch = 6;
    private const int Inputs = 7;
    private const int Horizon = 3;

    [Fact]
    public void Backward_MatchesFiniteDifferencesOfThePinballLoss()
    {
        var random = new DeterministicRandom(11);
        var network = new QuantileMlp(Inputs, 5, 4, Horizon);
        network.Initialize(random, [Inputs - 1, Inputs - 2, Inputs - 3], 0.5f);

        // Perturb every parameter so no weight sits at its special initial value (zeros, exact ones).
        foreach (var parameter in network.Parameters)
        {
            for (var i = 0; i < parameter.Length; i++)
            {
                parameter[i] += (float)(0.3 * random.NextGaussian());
            }
        }

        var x = Enumerable.Range(0, Batch * Inputs).Select(_ => (float)random.NextGaussian()).ToArray();
        var activations = new MlpActivations(network, Batch);
        network.Forward(x, Batch, activations);

        // Targets far from every quantile, so a small weight change never crosses a kink of the pinball loss.
        var targets = new float[Batch * Horizon];
        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = random.NextDouble() < 0.5 ? activations.P10[i] - 5f : activations.P90[i] + 5f;
        }

        var gradients = new MlpGradients(network, Batch);
        PinballLoss.Evaluate(activations, targets, Batch, Horizon, gradients, Batch);
        gradients.Backward(network, x, Batch, activations);

        const float epsilon = 1e-2f;
        var checkedCount = 0;
        var worst = 0.0;
        for (var p = 0; p < network.Parameters.Count; p++)
        {
            var parameter = network.Parameters[p];
            for (var i = 0; i < parameter.Length; i++)
            {
                var original = parameter[i];
                parameter[i] = original + epsilon;
                var plus = Loss(network, x, targets);
                parameter[i] = original - epsilon;
                var minus = Loss(network, x, targets);
                parameter[i] = original;

                var numeric = (plus - minus) / (2 * epsilon);
                var analytic = gradients.Values[p][i];
                var error = Math.Abs(numeric - analytic) / Math.Max(1e-2, Math.Abs(numeric) + Math.Abs(analytic));
                worst = Math.Max(worst, error);
                checkedCount++;
            }
        }

        Assert.Equal(network.ParameterCount, checkedCount);
        Assert.True(worst < 0.02, $"Largest relative gradient error {worst:E2} over {checkedCount} parameters.");
    }

    [Fact]
    public void Backward_AccumulatesSlicesLikeOneBatch()
    {
        // Training splits a batch into slices and sums their gradients; the sum must equal the whole batch's gradient.
        var random = new DeterministicRandom(5);
        var network = new QuantileMlp(Inputs, 6, 5, Horizon);
        network.Initialize(random, [0, 1, 2], 0.3f);
        var x = Enumerable.Range(0, Batch * Inputs).Select(_ => (float)random.NextGaussian()).ToArray();
        var targets = Enumerable.Range(0, Batch * Horizon).Select(_ => (float)random.NextGaussian()).ToArray();

        var whole = GradientsOf(network, x, targets, 0, Batch);
        var first = GradientsOf(network, x, targets, 0, 4);
        var second = GradientsOf(network, x, targets, 4, 2);
        first.Add(second);

        for (var p = 0; p < whole.Values.Length; p++)
        {
            for (var i = 0; i < whole.Values[p].Length; i++)
            {
                Assert.Equal(whole.Values[p][i], first.Values[p][i], 1e-6f);
            }
        }
    }

    private static MlpGradients GradientsOf(QuantileMlp network, float[] x, float[] targets, int from, int rows)
    {
        var activations = new MlpActivations(network, rows);
        var input = x.AsSpan(from * Inputs, rows * Inputs);
        network.Forward(input, rows, activations);
        var gradients = new MlpGradients(network, rows);
        PinballLoss.Evaluate(activations, targets.AsSpan(from * Horizon, rows * Horizon), rows, Horizon, gradients, Batch);
        gradients.Backward(network, input, rows, activations);
        return gradients;
    }

    private static double Loss(QuantileMlp network, float[] x, float[] targets)
    {
        var activations = new MlpActivations(network, Batch);
        network.Forward(x, Batch, activations);
        return PinballLoss.Evaluate(activations, targets, Batch, Horizon, null, Batch);
    }
}
