namespace Platform.Simulator.Import;

/// <summary>Earliest and latest event time of a history.</summary>
public sealed record HistorySpan(DateTimeOffset First, DateTimeOffset Last)
{
    public TimeSpan Duration => Last - First;
}
