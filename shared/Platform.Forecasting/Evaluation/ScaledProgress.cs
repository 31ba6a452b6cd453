namespace Platform.Forecasting.Evaluation;

/// <summary>Maps one model's progress (0 to 1) onto its share of the whole backtest.</summary>
internal sealed class ScaledProgress(IProgress<double> overall, int part, int parts) : IProgress<double>
{
    public void Report(double value) => overall.Report((part + Math.Clamp(value, 0, 1)) / parts);
}
