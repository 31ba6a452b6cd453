namespace Platform.Forecasting.Neural;

/// <summary>No series is long enough to give a single training window (lookback + horizon points).</summary>
public sealed class InsufficientHistoryException : InvalidOperationException
{
    public InsufficientHistoryException(string message)
        : base(message)
    {
    }
}
