using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Platform.Benchmarks;

/// <summary>
/// One figure of the per-read latency distribution that <see cref="OnlineStoreLatencyRecorder"/> printed in the
/// benchmark process (BenchmarkDotNet's own statistics are over iterations, each of many reads).
/// </summary>
/// <param name="key">The field of the recorder's line, e.g. <c>p99_us</c>.</param>
/// <param name="header">The column header.</param>
/// <param name="isTime">Whether the field is microseconds (shown in ms) rather than a count.</param>
public sealed class OnlineStoreLatencyColumn(string key, string header, bool isTime = true) : IColumn
{
    public static IColumn[] All { get; } =
    [
        new OnlineStoreLatencyColumn("reads", "Reads", isTime: false),
        new OnlineStoreLatencyColumn("p50_us", "p50"),
        new OnlineStoreLatencyColumn("p90_us", "p90"),
        new OnlineStoreLatencyColumn("p95_us", "p95"),
        new OnlineStoreLatencyColumn("p99_us", "p99"),
        new OnlineStoreLatencyColumn("p999_us", "p99.9"),
        new OnlineStoreLatencyColumn("max_us", "Max read"),
        new OnlineStoreLatencyColumn("gc_reads", "Reads with GC", isTime: false),
        new OnlineStoreLatencyColumn("p99_nogc_us", "p99 w/o GC"),
        new OnlineStoreLatencyColumn("server_cpu_us", "Server CPU"),
    ];

    public string Id => $"{nameof(OnlineStoreLatencyColumn)}.{key}";

    public string ColumnName => header;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => Array.FindIndex(All, c => c.Id == Id);

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => key switch
    {
        "reads" => "Reads recorded (after warm-up)",
        "gc_reads" => "Recorded reads during which a gen0 collection ran",
        "server_cpu_us" => "CPU time of redis-server per MGET, in ms (INFO cpu, user + system, over all reads after setup)",
        _ => $"{header} of single-read latencies in ms (nearest rank over the recorded reads, none removed)",
    };

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        // Out of process the line is in the benchmark process's captured output; in process (--inProcess) nothing is
        // captured, but the report was made in this very process.
        var line = summary[benchmarkCase]?.ExecuteResults
            .SelectMany(r => r.StandardOutput ?? [])
            .LastOrDefault(l => l.StartsWith(OnlineStoreLatencyRecorder.LinePrefix, StringComparison.Ordinal))
            ?? OnlineStoreLatencyRecorder.LastReport;
        var value = line?.Split(' ').FirstOrDefault(p => p.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];
        if (value is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return "NA";
        }

        return isTime
            ? (number / 1000).ToString("N2", CultureInfo.InvariantCulture) + " ms"
            : number.ToString("N0", CultureInfo.InvariantCulture);
    }
}
