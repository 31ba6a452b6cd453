namespace Platform.Forecasting.Neural;

/// <summary>Per-row intermediate values of one forward pass, kept for the backward pass; sized once per batch capacity.</summary>
internal sealed class MlpActivations
{
    public MlpActivations(QuantileMlp network, int capacity)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        Hidden1 = new float[capacity * network.Hidden1];
        Hidden2 = new float[capacity * network.Hidden2];
        Output = new float[capacity * network.Outputs];
        P10 = new float[capacity * network.Horizon];
        P50 = new float[capacity * network.Horizon];
        P90 = new float[capacity * network.Horizon];
    }

    public int Capacity { get; }

    /// <summary>Post-ReLU values of the first hidden layer.</summary>
    public float[] Hidden1 { get; }

    /// <summary>Post-ReLU values of the second hidden layer.</summary>
    public float[] Hidden2 { get; }

    /// <summary>Raw output rows [mid | a | b].</summary>
    public float[] Output { get; }

    public float[] P10 { get; }

    public float[] P50 { get; }

    public float[] P90 { get; }
}
