using Platform.Forecasting.Neural;
using Platform.Inference.Scoring;

namespace Platform.Inference.Tests;

/// <summary>
/// A tiny layout (lookback 4, horizon 2) and a scorer that needs no ONNX: every step's P50 is the row's last scaled
/// value, P10 and P90 that minus and plus 1, so a result tells which row it came from. Records each call's row count.
/// </summary>
internal sealed class FakeModels
{
    public static readonly NeuralFeatureLayout Layout = new() { Lookback = 4, Horizon = 2, SeasonLength = 24, Step = TimeSpan.FromHours(1) };

    public List<int> BatchSizes { get; } = [];

    /// <summary>Rows whose last window value is this make the scorer throw (a model failing on a batch).</summary>
    public int PoisonValue { get; set; } = int.MinValue;

    public ServingModel Create(int version, List<int>? disposed = null) =>
        new(version, Layout, Score, "FakeExecutionProvider", disposed is null ? null : new Disposal(() => disposed.Add(version)));

    /// <summary>What the fake model forecasts (P50, in units) for a window whose last value is <paramref name="last"/>.</summary>
    public static double ExpectedP50(int[] window) => window[^1];

    private void Score(ReadOnlySpan<float> features, int rows, Span<float> p10, Span<float> p50, Span<float> p90)
    {
        lock (BatchSizes)
        {
            BatchSizes.Add(rows);
        }

        var width = Layout.FeatureCount;
        for (var r = 0; r < rows; r++)
        {
            var row = features.Slice(r * width, width);
            var last = row[Layout.Lookback - 1];
            // The row is scaled by the window's mean |value|; log_scale_z is ln(s) here (level mean 0, std 1), so s = e^z.
            var scale = MathF.Exp(row[Layout.Lookback]);
            if (PoisonValue != int.MinValue && Math.Abs(last * scale - PoisonValue) < 1e-3)
            {
                throw new InvalidOperationException("poisoned batch");
            }

            for (var h = 0; h < Layout.Horizon; h++)
            {
                p50[r * Layout.Horizon + h] = last;
                p10[r * Layout.Horizon + h] = last - 1 / scale;
                p90[r * Layout.Horizon + h] = last + 1 / scale;
            }
        }
    }

    private sealed class Disposal(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
