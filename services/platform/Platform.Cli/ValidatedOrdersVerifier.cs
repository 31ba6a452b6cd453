using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;

namespace Platform.Cli;

/// <summary>
/// Plays a downstream consumer in the demo: reads orders.validated and orders.rejected in its own consumer
/// group and checks what arrived against what the simulator published.
/// </summary>
public sealed class ValidatedOrdersVerifier(string bootstrapServers) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _lineIds = new(StringComparer.Ordinal);
    private readonly List<double> _latenciesMs = [];
    private readonly HashSet<string> _knownReasons = [.. RejectionReasons.All];
    private ConcurrentDictionary<string, long> _pending = new();
    private Thread? _thread;
    private long _lines, _duplicateLines, _rejected, _rejectedWithoutReason, _rejectedWithUnknownReason;

    public long Lines => Interlocked.Read(ref _lines);

    public long DuplicateLines => Interlocked.Read(ref _duplicateLines);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long RejectedWithoutReason => Interlocked.Read(ref _rejectedWithoutReason);

    public long RejectedWithUnknownReason => Interlocked.Read(ref _rejectedWithUnknownReason);

    /// <summary>Orders still expected: "{event_type}:{order_id}" → publish timestamp (Stopwatch ticks). Seen ones are removed.</summary>
    public void Expect(ConcurrentDictionary<string, long> pending) => _pending = pending;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "demo-verifier" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(10));
    }

    public (double P50, double P99) LatencyPercentiles()
    {
        lock (_latenciesMs)
        {
            if (_latenciesMs.Count == 0)
            {
                return (0, 0);
            }

            _latenciesMs.Sort();
            return (_latenciesMs[(int)(0.50 * (_latenciesMs.Count - 1))], _latenciesMs[(int)(0.99 * (_latenciesMs.Count - 1))]);
        }
    }

    private void Run()
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"demo-verifier-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        consumer.Subscribe([Topics.OrdersValidated, Topics.OrdersRejected]);
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<byte[]?, byte[]?>? record;
            try
            {
                record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException)
            {
                continue;
            }

            if (record?.Message.Value is not { } value)
            {
                continue;
            }

            if (record.Topic == Topics.OrdersValidated)
            {
                OnLine(JsonSerializer.Deserialize(value, ContractsJsonContext.Default.OrderLineValidated)!);
            }
            else
            {
                OnRejected(record);
            }
        }

        consumer.Close();
    }

    private void OnLine(OrderLineValidated line)
    {
        Interlocked.Increment(ref _lines);
        if (!_lineIds.Add(line.LineId))
        {
            Interlocked.Increment(ref _duplicateLines);
            return;
        }

        var eventType = line.Kind == OrderLineKinds.Cancellation ? OrderEventTypes.Cancelled : OrderEventTypes.Placed;
        if (_pending.TryRemove($"{eventType}:{line.OrderId}", out var publishedAt))
        {
            lock (_latenciesMs)
            {
                _latenciesMs.Add(Stopwatch.GetElapsedTime(publishedAt).TotalMilliseconds);
            }
        }
    }

    private void OnRejected(ConsumeResult<byte[]?, byte[]?> record)
    {
        Interlocked.Increment(ref _rejected);
        var rejected = JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.OrderRejected);
        var header = record.Message.Headers?.TryGetLastBytes(DeadLetterHeaders.Reason, out var bytes) == true ? System.Text.Encoding.UTF8.GetString(bytes) : null;
        if (string.IsNullOrEmpty(rejected?.Reason) || header != rejected.Reason)
        {
            Interlocked.Increment(ref _rejectedWithoutReason);
        }
        else if (!_knownReasons.Contains(rejected.Reason))
        {
            Interlocked.Increment(ref _rejectedWithUnknownReason);
        }
    }

    public void Dispose() => _stop.Dispose();
}
