using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;

namespace Platform.Cli;

/// <summary>
/// Plays the inventory service's and the on-call tooling's reading side in the demo: reads forecasts.demand and
/// alerts.anomalies in its own consumer group, counts forecasts, keeps the alerts, and measures order → forecast
/// latency: a forecast names the trace of the order whose features it was made from, and the publisher noted when
/// it sent that order.
/// </summary>
internal sealed class DemoOutputObserver(string bootstrapServers, ConcurrentDictionary<string, long> publishedByTrace) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<AnomalyAlert> _alerts = [];
    private readonly List<double> _latenciesMs = [];
    private readonly HashSet<string> _forecastVersions = new(StringComparer.Ordinal);
    private Thread? _thread;
    private long _forecasts, _unreadable;

    public long Forecasts => Interlocked.Read(ref _forecasts);

    public long Unreadable => Interlocked.Read(ref _unreadable);

    public IReadOnlyList<AnomalyAlert> Alerts
    {
        get
        {
            lock (_alerts) return [.. _alerts];
        }
    }

    public IReadOnlyCollection<string> ModelVersions
    {
        get
        {
            lock (_forecastVersions) return [.. _forecastVersions];
        }
    }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "demo-output-observer" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(10));
    }

    public (double P50, double P99, int Count) LatencyPercentiles()
    {
        lock (_latenciesMs)
        {
            if (_latenciesMs.Count == 0)
            {
                return (0, 0, 0);
            }

            _latenciesMs.Sort();
            return (_latenciesMs[(int)(0.50 * (_latenciesMs.Count - 1))], _latenciesMs[(int)(0.99 * (_latenciesMs.Count - 1))], _latenciesMs.Count);
        }
    }

    private void Run()
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"demo-output-observer-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        consumer.Subscribe([Topics.ForecastsDemand, Topics.AlertsAnomalies]);
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

            if (record?.Message?.Value is not { } value)
            {
                continue;
            }

            var received = Stopwatch.GetTimestamp();
            try
            {
                if (record.Topic == Topics.ForecastsDemand)
                {
                    var forecast = JsonSerializer.Deserialize(value, ContractsJsonContext.Default.DemandForecast)!;
                    Interlocked.Increment(ref _forecasts);
                    lock (_forecastVersions) _forecastVersions.Add(forecast.ModelVersion);
                    // The first forecast made from an order's features: the order's end-to-end latency.
                    if (forecast.TraceId is { } trace && publishedByTrace.TryRemove(trace, out var published))
                    {
                        lock (_latenciesMs) _latenciesMs.Add(Stopwatch.GetElapsedTime(published, received).TotalMilliseconds);
                    }
                }
                else
                {
                    var alert = JsonSerializer.Deserialize(value, ContractsJsonContext.Default.AnomalyAlert)!;
                    lock (_alerts) _alerts.Add(alert);
                }
            }
            catch (JsonException)
            {
                Interlocked.Increment(ref _unreadable);
            }
        }
    }

    public void Dispose() => _stop.Dispose();
}
