using System.Numerics.Tensors;

namespace Platform.Forecasting.Neural;

/// <summary>
/// The network: two ReLU layers and a linear output layer, plus a linear skip from the inputs straight to the
/// outputs (so the model starts as, and can fall back to, a linear autoregression of the scaled window). The output
/// row is [mid (H) | a (H) | b (H)] and the quantiles are P50 = mid, P10 = mid − softplus(a), P90 = mid + softplus(b),
/// which makes P10 ≤ P50 ≤ P90 hold by construction, with only operators ONNX Runtime's CUDA provider implements.
/// Weights are row-major [in × out], the layout ONNX Gemm and MatMul take without a transpose.
/// </summary>
internal sealed class QuantileMlp
{
    public QuantileMlp(int inputs, int hidden1, int hidden2, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(horizon);
        Inputs = inputs;
        Hidden1 = hidden1;
        Hidden2 = hidden2;
        Horizon = horizon;
        W1 = new float[inputs * hidden1];
        B1 = new float[hidden1];
        W2 = new float[hidden1 * hidden2];
        B2 = new float[hidden2];
        W3 = new float[hidden2 * Outputs];
        B3 = new float[Outputs];
        Skip = new float[inputs * Outputs];
        Parameters = [W1, B1, W2, B2, W3, B3, Skip];
    }

    public int Inputs { get; }

    public int Hidden1 { get; }

    public int Hidden2 { get; }

    public int Horizon { get; }

    /// <summary>Width of the raw output row: mid, a and b for each step.</summary>
    public int Outputs => 3 * Horizon;

    public float[] W1 { get; }

    public float[] B1 { get; }

    public float[] W2 { get; }

    public float[] B2 { get; }

    public float[] W3 { get; }

    public float[] B3 { get; }

    public float[] Skip { get; }

    /// <summary>Every parameter array, in a fixed order (the optimizer and the gradients follow it).</summary>
    public IReadOnlyList<float[]> Parameters { get; }

    public int ParameterCount => Parameters.Sum(p => p.Length);

    /// <summary>
    /// He-normal hidden layers, a small output layer, and a skip layer that makes the initial P50 copy the input
    /// column <paramref name="medianPrior"/>[h] for step h (the seasonal-naive value in the window), so training
    /// starts from a sensible forecast instead of zero. The a and b biases start at softplus⁻¹(<paramref name="initialHalfWidth"/>).
    /// </summary>
    public void Initialize(DeterministicRandom random, ReadOnlySpan<int> medianPrior, float initialHalfWidth)
    {
        ArgumentNullException.ThrowIfNull(random);
        Fill(W1, random, Math.Sqrt(2.0 / Inputs));
        Fill(W2, random, Math.Sqrt(2.0 / Hidden1));
        Fill(W3, random, 0.1 * Math.Sqrt(1.0 / Hidden2));
        Array.Clear(B1);
        Array.Clear(B2);
        Array.Clear(Skip);
        Array.Clear(B3);
        for (var h = 0; h < Horizon && h < medianPrior.Length; h++)
        {
            if (medianPrior[h] >= 0)
            {
                Skip[medianPrior[h] * Outputs + h] = 1f;
            }
        }

        var inverse = (float)Math.Log(Math.Exp(initialHalfWidth) - 1.0);
        B3.AsSpan(Horizon, 2 * Horizon).Fill(inverse);
    }

    public void CopyFrom(QuantileMlp other)
    {
        for (var i = 0; i < Parameters.Count; i++)
        {
            other.Parameters[i].AsSpan().CopyTo(Parameters[i]);
        }
    }

    public QuantileMlp Clone()
    {
        var copy = new QuantileMlp(Inputs, Hidden1, Hidden2, Horizon);
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>Forward pass of <paramref name="batch"/> rows of <paramref name="x"/> ([batch × Inputs]) into <paramref name="act"/>.</summary>
    public void Forward(ReadOnlySpan<float> x, int batch, MlpActivations act)
    {
        ArgumentNullException.ThrowIfNull(act);
        if (batch > act.Capacity || x.Length < batch * Inputs)
        {
            throw new ArgumentException($"A batch of {batch} rows needs {batch * Inputs} inputs and activations for at least {batch} rows.");
        }

        var h1 = act.Hidden1.AsSpan(0, batch * Hidden1);
        DenseMath.MultiplyAdd(x, Inputs, 1, W1, h1, batch, Inputs, Hidden1, accumulate: false);
        DenseMath.AddRowVector(h1, B1, batch, Hidden1);
        TensorPrimitives.Max(h1, 0f, h1);

        var h2 = act.Hidden2.AsSpan(0, batch * Hidden2);
        DenseMath.MultiplyAdd(h1, Hidden1, 1, W2, h2, batch, Hidden1, Hidden2, accumulate: false);
        DenseMath.AddRowVector(h2, B2, batch, Hidden2);
        TensorPrimitives.Max(h2, 0f, h2);

        var output = act.Output.AsSpan(0, batch * Outputs);
        DenseMath.MultiplyAdd(h2, Hidden2, 1, W3, output, batch, Hidden2, Outputs, accumulate: false);
        DenseMath.MultiplyAdd(x, Inputs, 1, Skip, output, batch, Inputs, Outputs, accumulate: true);
        DenseMath.AddRowVector(output, B3, batch, Outputs);

        var horizon = Horizon;
        for (var r = 0; r < batch; r++)
        {
            var row = output.Slice(r * Outputs, Outputs);
            var p10 = act.P10.AsSpan(r * horizon, horizon);
            var p50 = act.P50.AsSpan(r * horizon, horizon);
            var p90 = act.P90.AsSpan(r * horizon, horizon);
            for (var h = 0; h < horizon; h++)
            {
                var mid = row[h];
                p50[h] = mid;
                p10[h] = mid - Softplus(row[horizon + h]);
                p90[h] = mid + Softplus(row[2 * horizon + h]);
            }
        }
    }

    /// <summary>log(1 + e^x) without overflow, as ONNX Softplus defines it.</summary>
    public static float Softplus(float x)
    {
        double v = x;
        return (float)(Math.Max(v, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(v))));
    }

    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Math.Exp(-(double)x)));

    private static void Fill(float[] weights, DeterministicRandom random, double std)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(random.NextGaussian() * std);
        }
    }
}
