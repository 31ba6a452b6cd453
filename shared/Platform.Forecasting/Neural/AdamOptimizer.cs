namespace Platform.Forecasting.Neural;

/// <summary>Adam (Kingma and Ba 2015) with bias correction, one moment pair per parameter array.</summary>
internal sealed class AdamOptimizer
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;
    private readonly float[][] _first;
    private readonly float[][] _second;
    private int _steps;

    public AdamOptimizer(QuantileMlp network, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(network);
        _first = network.Parameters.Select(p => new float[p.Length]).ToArray();
        _second = network.Parameters.Select(p => new float[p.Length]).ToArray();
        LearningRate = learningRate;
    }

    public float LearningRate { get; set; }

    public void Step(QuantileMlp network, MlpGradients gradients)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(gradients);
        _steps++;
        var correction1 = 1.0 - Math.Pow(Beta1, _steps);
        var correction2 = 1.0 - Math.Pow(Beta2, _steps);
        var stepSize = (float)(LearningRate * Math.Sqrt(correction2) / correction1);
        for (var p = 0; p < network.Parameters.Count; p++)
        {
            var weights = network.Parameters[p];
            var grad = gradients.Values[p];
            var m = _first[p];
            var v = _second[p];
            for (var i = 0; i < weights.Length; i++)
            {
                var g = grad[i];
                m[i] = Beta1 * m[i] + (1f - Beta1) * g;
                v[i] = Beta2 * v[i] + (1f - Beta2) * g * g;
                weights[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) + Epsilon);
            }
        }
    }
}
