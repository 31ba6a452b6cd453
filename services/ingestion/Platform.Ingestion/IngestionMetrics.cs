using System.Diagnostics.Metrics;

namespace Platform.Ingestion;

/// <summary>
/// Ingestion's instruments (Meter "Platform.Ingestion") and the same counts as plain totals for the demo's
/// live progress and summary.
/// </summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "Platform.Ingestion";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("platform.ingestion.orders_accepted", "{order}");
    private static readonly Counter<long> Lines = Meter.CreateCounter<long>("platform.ingestion.order_lines_validated", "{line}");
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("platform.ingestion.orders_rejected", "{order}", "Rejected inputs, by reason");
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("platform.ingestion.duplicates", "{order}");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>(
        "platform.ingestion.lag", "ms", "From the record's Kafka timestamp (or HTTP receipt) to its lines being acknowledged on orders.validated");

    private long _ordersAccepted;
    private long _linesValidated;
    private long _rejected;
    private long _duplicates;

    public long OrdersAccepted => Interlocked.Read(ref _ordersAccepted);

    public long LinesValidated => Interlocked.Read(ref _linesValidated);

    public long OrdersRejected => Interlocked.Read(ref _rejected);

    public long DuplicatesDropped => Interlocked.Read(ref _duplicates);

    public void OrderAccepted(int lines)
    {
        Interlocked.Increment(ref _ordersAccepted);
        Interlocked.Add(ref _linesValidated, lines);
        Accepted.Add(1);
        Lines.Add(lines);
    }

    public void OrderRejected(string reason, string source)
    {
        Interlocked.Increment(ref _rejected);
        Rejected.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("source", source));
    }

    public void Duplicate()
    {
        Interlocked.Increment(ref _duplicates);
        Duplicates.Add(1);
    }

    public void RecordLag(TimeSpan lag) => Lag.Record(Math.Max(0, lag.TotalMilliseconds));
}
