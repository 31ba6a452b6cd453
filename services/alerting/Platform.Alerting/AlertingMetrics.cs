using System.Diagnostics.Metrics;
using Platform.Alerting.Model;

namespace Platform.Alerting;

/// <summary>Alerting instruments (Meter "Platform.Alerting"). Every failure counted here is also logged.</summary>
public sealed class AlertingMetrics : IDisposable
{
    public const string MeterName = "Platform.Alerting";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _resolved;
    private readonly Counter<long> _published;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _evaluationFailures;
    private readonly long[] _byState = new long[Enum.GetValues<AlertState>().Length];
    private long _receivedTotal;
    private long _publishedTotal;
    private long _sentTotal;
    private long _failedTotal;
    private long _deadLetteredTotal;
    private long _reloadFailures;
    private int _lastReloadSucceeded = 1;

    public AlertingMetrics()
    {
        _received = _meter.CreateCounter<long>("platform.alerting.alerts.received", "{alert}", "Detections accepted from alerts.anomalies, by kind and severity");
        _rejected = _meter.CreateCounter<long>("platform.alerting.alerts.rejected", "{record}", "Records dead-lettered to alerts.anomalies.rejected, by reason");
        _duplicates = _meter.CreateCounter<long>("platform.alerting.alerts.duplicates", "{alert}", "Redelivered detections recognised and not counted again");
        _suppressed = _meter.CreateCounter<long>("platform.alerting.alerts.suppressed", "{alert}", "Alerts that became muted, by reason (silenced, inhibited)");
        _resolved = _meter.CreateCounter<long>("platform.alerting.alerts.resolved", "{alert}", "Alerts resolved, by how (timeout, api)");
        _meter.CreateObservableGauge("platform.alerting.alerts.active", ObserveStates, "{alert}", "Alerts held by the engine, by state (firing, acknowledged, silenced, inhibited)");
        _published = _meter.CreateCounter<long>("platform.alerting.notifications.published", "{notification}", "Notifications handed to the delivery queue, by receiver and channel");
        _sent = _meter.CreateCounter<long>("platform.alerting.notifications.sent", "{notification}", "Notifications the receiving endpoint accepted, by receiver and channel");
        _failed = _meter.CreateCounter<long>("platform.alerting.notifications.failed", "{attempt}",
            "Failed delivery attempts by receiver, channel and stage: attempt (will retry), dead_lettered (to the error queue), publish (queue unreachable)");
        _deliveryLatency = _meter.CreateHistogram<double>("platform.alerting.notifications.delivery_latency", "ms",
            "From the engine's decision to notify to the receiver's acceptance, retries included");
        _reloads = _meter.CreateCounter<long>("platform.alerting.config.reloads", "{reload}", "Configuration loads by outcome (success, failure)");
        _meter.CreateObservableGauge("platform.alerting.config.last_reload_success", () => Volatile.Read(ref _lastReloadSucceeded), "1",
            "1 when the last configuration load succeeded, 0 when the file was refused (the previous configuration stays in force)");
        _evaluationFailures = _meter.CreateCounter<long>("platform.alerting.engine.evaluation_failures", "{evaluation}", "Evaluation rounds that failed (e.g. Redis unreachable)");
    }

    public long Received => Interlocked.Read(ref _receivedTotal);

    public long Published => Interlocked.Read(ref _publishedTotal);

    /// <summary>Notifications accepted by their receivers (the demo's alerts_notified).</summary>
    public long Sent => Interlocked.Read(ref _sentTotal);

    public long FailedAttempts => Interlocked.Read(ref _failedTotal);

    public long DeadLettered => Interlocked.Read(ref _deadLetteredTotal);

    public long ReloadFailures => Interlocked.Read(ref _reloadFailures);

    public void AlertReceived(string kind, string severity)
    {
        _received.Add(1, new("kind", kind), new("severity", severity));
        Interlocked.Increment(ref _receivedTotal);
    }

    public void AlertRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Duplicate() => _duplicates.Add(1);

    public void Suppressed(AlertState state) => _suppressed.Add(1, new KeyValuePair<string, object?>("reason", AlertStates.Name(state)));

    public void Resolved(string how) => _resolved.Add(1, new KeyValuePair<string, object?>("how", how));

    /// <summary>The engine reports its counts by state after each change.</summary>
    public void StateCounts(IReadOnlyDictionary<AlertState, int> counts)
    {
        foreach (var state in Enum.GetValues<AlertState>())
        {
            Interlocked.Exchange(ref _byState[(int)state], counts.TryGetValue(state, out var n) ? n : 0);
        }
    }

    public void NotificationPublished(string receiver, string channel)
    {
        _published.Add(1, new("receiver", receiver), new("channel", channel));
        Interlocked.Increment(ref _publishedTotal);
    }

    public void NotificationSent(string receiver, string channel, double latencyMs)
    {
        _sent.Add(1, new("receiver", receiver), new("channel", channel));
        _deliveryLatency.Record(Math.Max(0, latencyMs), new("receiver", receiver), new("channel", channel));
        Interlocked.Increment(ref _sentTotal);
    }

    /// <param name="stage">"attempt", "dead_lettered" or "publish".</param>
    public void NotificationFailed(string receiver, string channel, string stage)
    {
        _failed.Add(1, new("receiver", receiver), new("channel", channel), new("stage", stage));
        Interlocked.Increment(ref stage == "dead_lettered" ? ref _deadLetteredTotal : ref _failedTotal);
    }

    public void ConfigReloaded(bool success)
    {
        _reloads.Add(1, new KeyValuePair<string, object?>("outcome", success ? "success" : "failure"));
        Volatile.Write(ref _lastReloadSucceeded, success ? 1 : 0);
        if (!success)
        {
            Interlocked.Increment(ref _reloadFailures);
        }
    }

    public void EvaluationFailed() => _evaluationFailures.Add(1);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveStates()
    {
        foreach (var state in Enum.GetValues<AlertState>())
        {
            if (state != AlertState.Resolved)
            {
                yield return new Measurement<long>(Interlocked.Read(ref _byState[(int)state]), new KeyValuePair<string, object?>("state", AlertStates.Name(state)));
            }
        }
    }
}
