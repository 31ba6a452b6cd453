namespace Platform.Forecasting.Data;

/// <summary>What <see cref="OrderDemand.Add"/> counted: placed orders, cancellations skipped, lines added and lines skipped.</summary>
public sealed record OrderDemandSummary(long PlacedOrders, long CancellationsSkipped, long LinesAdded, long LinesSkipped);
