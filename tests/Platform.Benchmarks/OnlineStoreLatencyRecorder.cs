using System.Diagnostics;
using System.Globalization;

namespace Platform.Benchmarks;

/// <summary>
/// The latency of every single read, as its caller sees it (from the call to the resumption after its await), kept
/// in a preallocated array so that recording allocates nothing. The first <c>skip</c> reads (BenchmarkDotNet's
/// jitting and warm-up iterations) are not kept. <see cref="Report"/> is one line on standard output, which
/// <see cref="OnlineStoreLatencyColumn"/> reads back in the host process.
/// </summary>
public sealed class OnlineStoreLatencyRecorder(int skip, int capacity)
{
    public const string LinePrefix = "OnlineStoreLatency:";

    /// <summary>The last report printed in this process: what the columns read when the benchmark runs in-process (no captured output).</summary>
    public static string? LastReport { get; set; }

    private readonly long[] _ticks = new long[capacity];
    private readonly bool[] _sawGc = new bool[capacity];
    private int _seen;
    private int _kept;

    /// <summary>Starts timing one read: its start timestamp and the gen0 collection count at that moment.</summary>
    public static (long Started, int Gen0) Start() => (Stopwatch.GetTimestamp(), GC.CollectionCount(0));

    public void Stop((long Started, int Gen0) start)
    {
        var elapsed = Stopwatch.GetTimestamp() - start.Started;
        if (_seen++ < skip || _kept == _ticks.Length)
        {
            return;
        }

        _ticks[_kept] = elapsed;
        _sawGc[_kept] = GC.CollectionCount(0) != start.Gen0;
        _kept++;
    }

    /// <summary>
    /// reads, p50/p90/p95/p99/p99.9/max (µs, nearest rank), how many reads a garbage collection ran during, and the
    /// p99 of the others: whether the tail is the collector's or not. <paramref name="extra"/> is appended as it is
    /// (more <c>key=value</c> fields).
    /// </summary>
    public string Report(string extra = "")
    {
        var all = _ticks.AsSpan(0, _kept).ToArray();
        var withoutGc = new List<long>(_kept);
        var gcReads = 0;
        for (var i = 0; i < _kept; i++)
        {
            if (_sawGc[i])
            {
                gcReads++;
            }
            else
            {
                withoutGc.Add(_ticks[i]);
            }
        }

        Array.Sort(all);
        var clean = withoutGc.ToArray();
        Array.Sort(clean);
        return string.Create(CultureInfo.InvariantCulture,
            $"{LinePrefix} reads={_kept} skipped={Math.Min(_seen, skip)} p50_us={Micros(all, 50)} p90_us={Micros(all, 90)} p95_us={Micros(all, 95)} " +
            $"p99_us={Micros(all, 99)} p999_us={Micros(all, 99.9)} max_us={Micros(all, 100)} gc_reads={gcReads} p99_nogc_us={Micros(clean, 99)} {extra}").TrimEnd();
    }

    private static string Micros(long[] sorted, double percentile)
    {
        if (sorted.Length == 0)
        {
            return "NA";
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        var ticks = sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
        return (ticks * 1_000_000.0 / Stopwatch.Frequency).ToString("F1", CultureInfo.InvariantCulture);
    }
}
