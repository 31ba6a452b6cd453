namespace Platform.Forecasting.Anomaly;

/// <summary>What <see cref="OrderRiskScorer"/> remembers about one customer: recent order times and a decayed long-run order count.</summary>
internal sealed class CustomerRiskState
{
    /// <summary>Times (ticks) of the orders within the longest velocity window, oldest first.</summary>
    public Queue<long> Recent { get; } = new();

    /// <summary>Normal orders, exponentially decayed to <see cref="LongAt"/>.</summary>
    public double LongCount { get; set; }

    public long LongAt { get; set; }

    public DateTimeOffset? LastVelocityAbnormal { get; set; }

    public long LastSeen { get; set; }
}
