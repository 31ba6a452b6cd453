namespace Platform.Forecasting.Neural;

/// <summary>
/// Gradients of a loss with respect to every parameter of a <see cref="QuantileMlp"/> (same order as
/// <see cref="QuantileMlp.Parameters"/>), and the hand-written backward pass that fills them.
/// </summary>
internal sealed class MlpGradients
{
    private readonly float[] _w2Transposed;
    private readonly float[] _w3Transposed;
    private readonly float[] _dOutput;
    private readonly float[] _dHidden2;
    private readonly float[] _dHidden1;

    public MlpGradients(QuantileMlp network, int capacity)
    {
        ArgumentNullException.ThrowIfNull(network);
        Values = network.Parameters.Select(p => new float[p.Length]).ToArray();
        Capacity = capacity;
        _w2Transposed = new float[network.W2.Length];
        _w3Transposed = new float[network.W3.Length];
        _dOutput = new float[capacity * network.Outputs];
        _dHidden2 = new float[capacity * network.Hidden2];
        _dHidden1 = new float[capacity * network.Hidden1];
        DP10 = new float[capacity * network.Horizon];
        DP50 = new float[capacity * network.Horizon];
        DP90 = new float[capacity * network.Horizon];
    }

    public int Capacity { get; }

    /// <summary>One array per parameter array of the network.</summary>
    public float[][] Values { get; }

    /// <summary>dLoss/dP10 per row and step; the loss writes these before <see cref="Backward"/>.</summary>
    public float[] DP10 { get; }

    public float[] DP50 { get; }

    public float[] DP90 { get; }

    /// <summary>
    /// Overwrites <see cref="Values"/> with the gradients for a batch whose forward pass is in <paramref name="act"/>
    /// and whose output gradients are in <see cref="DP10"/>, <see cref="DP50"/> and <see cref="DP90"/>.
    /// </summary>
    public void Backward(QuantileMlp net, ReadOnlySpan<float> x, int batch, MlpActivations act)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(act);
        if (batch > Capacity || batch > act.Capacity)
        {
            throw new ArgumentException($"A batch of {batch} rows exceeds the gradient buffers' capacity of {Capacity}.");
        }

        var horizon = net.Horizon;
        var outputs = net.Outputs;
        var dOut = _dOutput.AsSpan(0, batch * outputs);

        // Heads: P50 = mid, P10 = mid − softplus(a), P90 = mid + softplus(b); softplus' = sigmoid.
        for (var r = 0; r < batch; r++)
        {
            var raw = act.Output.AsSpan(r * outputs, outputs);
            var d = dOut.Slice(r * outputs, outputs);
            var offset = r * horizon;
            for (var h = 0; h < horizon; h++)
            {
                var g10 = DP10[offset + h];
                var g90 = DP90[offset + h];
                d[h] = g10 + DP50[offset + h] + g90;
                d[horizon + h] = -g10 * QuantileMlp.Sigmoid(raw[horizon + h]);
                d[2 * horizon + h] = g90 * QuantileMlp.Sigmoid(raw[2 * horizon + h]);
            }
        }

        var gW1 = Values[0];
        var gB1 = Values[1];
        var gW2 = Values[2];
        var gB2 = Values[3];
        var gW3 = Values[4];
        var gB3 = Values[5];
        var gSkip = Values[6];
        var h1 = act.Hidden1.AsSpan(0, batch * net.Hidden1);
        var h2 = act.Hidden2.AsSpan(0, batch * net.Hidden2);

        // Output layer and skip: dW3 = H2ᵀ·dOut, dSkip = Xᵀ·dOut, dB3 = Σ rows.
        DenseMath.MultiplyAdd(h2, 1, net.Hidden2, dOut, gW3, net.Hidden2, batch, outputs, accumulate: false);
        DenseMath.MultiplyAdd(x, 1, net.Inputs, dOut, gSkip, net.Inputs, batch, outputs, accumulate: false);
        Array.Clear(gB3);
        DenseMath.AddColumnSums(dOut, gB3, batch, outputs);

        // Second hidden layer: dH2 = dOut·W3ᵀ masked by ReLU.
        DenseMath.Transpose(net.W3, _w3Transposed, net.Hidden2, outputs);
        var dH2 = _dHidden2.AsSpan(0, batch * net.Hidden2);
        DenseMath.MultiplyAdd(dOut, outputs, 1, _w3Transposed, dH2, batch, outputs, net.Hidden2, accumulate: false);
        MaskByRelu(dH2, h2);
        DenseMath.MultiplyAdd(h1, 1, net.Hidden1, dH2, gW2, net.Hidden1, batch, net.Hidden2, accumulate: false);
        Array.Clear(gB2);
        DenseMath.AddColumnSums(dH2, gB2, batch, net.Hidden2);

        // First hidden layer: dH1 = dH2·W2ᵀ masked by ReLU.
        DenseMath.Transpose(net.W2, _w2Transposed, net.Hidden1, net.Hidden2);
        var dH1 = _dHidden1.AsSpan(0, batch * net.Hidden1);
        DenseMath.MultiplyAdd(dH2, net.Hidden2, 1, _w2Transposed, dH1, batch, net.Hidden2, net.Hidden1, accumulate: false);
        MaskByRelu(dH1, h1);
        DenseMath.MultiplyAdd(x, 1, net.Inputs, dH1, gW1, net.Inputs, batch, net.Hidden1, accumulate: false);
        Array.Clear(gB1);
        DenseMath.AddColumnSums(dH1, gB1, batch, net.Hidden1);
    }

    /// <summary>Adds <paramref name="other"/>'s gradients into this one's (a fixed-order reduction of per-worker gradients).</summary>
    public void Add(MlpGradients other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < Values.Length; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(Values[i], other.Values[i], Values[i]);
        }
    }

    private static void MaskByRelu(Span<float> gradient, ReadOnlySpan<float> activation)
    {
        for (var i = 0; i < gradient.Length; i++)
        {
            if (activation[i] <= 0f)
            {
                gradient[i] = 0f;
            }
        }
    }
}
