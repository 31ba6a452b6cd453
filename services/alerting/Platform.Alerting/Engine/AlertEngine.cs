using Platform.Alerting.Configuration;
using Platform.Alerting.Delivery;
using Platform.Alerting.Model;
using Platform.Alerting.State;
using Platform.Contracts;

namespace Platform.Alerting.Engine;

/// <summary>
/// Alertmanager's dispatcher for the platform's alerts: deduplicates detections into alerts by fingerprint, routes them
/// through the tree into aggregation groups, mutes them by silences and inhibit rules, resolves those not re-observed for
/// resolve_timeout, and decides when each group is notified to each integration (group_wait, group_interval,
/// repeat_interval, with the notification log). It runs on an injected clock: nothing happens between calls, and
/// <see cref="EvaluateAsync"/> does what is due at the clock's time, so tests drive it with a fake clock.
/// </summary>
/// <remarks>
/// <para>State is written through to <see cref="IAlertStateStore"/>; a new engine on the same store (a restart) loads the
/// alerts and silences, rebuilds its groups, and the stored notification log keeps it from re-notifying before
/// repeat_interval. A group's alerts older than group_wait are flushed at once after a restart, as Alertmanager does.</para>
/// <para>One engine owns the alert state: run one instance (the Kafka consumer group then gives it every partition).
/// Calls are serialized by one lock; each call's work is proportional to the active alerts.</para>
/// </remarks>
public sealed class AlertEngine
{
    private const int RecentDetectionsKept = 32;

    private readonly IAlertStateStore _store;
    private readonly AlertingConfigSource _config;
    private readonly INotificationPublisher _publisher;
    private readonly AlertingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertEngine> _logger;
    private readonly TimeSpan _retention;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, AlertRecord> _alerts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AggregationGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Silence> _silences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<Matcher>> _silenceMatchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NotificationLogEntry?> _log = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private AlertingConfiguration? _routedWith;
    private bool _loaded;

    public AlertEngine(
        IAlertStateStore store,
        AlertingConfigSource config,
        INotificationPublisher publisher,
        AlertingMetrics metrics,
        TimeProvider time,
        ILogger<AlertEngine> logger,
        TimeSpan? retention = null)
    {
        _store = store;
        _config = config;
        _publisher = publisher;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _retention = retention ?? TimeSpan.FromDays(5);
    }

    /// <summary>Groups currently held (for tests and diagnostics).</summary>
    public int GroupCount => _groups.Count;

    /// <summary>Merges detections into alerts (valid ones: the consumer dead-letters the rest) and stores the changes.</summary>
    public async Task ReceiveAsync(IReadOnlyList<AnomalyAlert> detections, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = _time.GetUtcNow();
            await EnsureLoadedAsync(now, ct);
            foreach (var detection in detections)
            {
                Merge(detection, now);
            }

            UpdateSuppression(now);
            await SaveDirtyAsync(ct);
            ReportCounts();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Does what is due at the clock's time: resolves alerts not re-observed for resolve_timeout, applies silences that
    /// started or ended, and flushes every group whose time has come.
    /// </summary>
    public async Task EvaluateAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = _time.GetUtcNow();
            await EnsureLoadedAsync(now, ct);
            var resolveTimeout = _config.Current.ResolveTimeout;
            foreach (var alert in _alerts.Values)
            {
                if (alert.State != AlertState.Resolved && alert.LastSeenAt + resolveTimeout <= now)
                {
                    alert.State = AlertState.Resolved;
                    alert.ResolvedAt = alert.LastSeenAt + resolveTimeout;
                    alert.ResolvedBy = "timeout";
                    alert.UpdatedAt = now;
                    _dirty.Add(alert.Fingerprint);
                    _metrics.Resolved("timeout");
                    _logger.LogInformation("Alert {Fingerprint} ({Labels}) resolved: not seen since {LastSeen:O}",
                        alert.Fingerprint, LabelText(alert.Labels), alert.LastSeenAt);
                }
            }

            UpdateSuppression(now);
            await SaveDirtyAsync(ct);
            foreach (var group in _groups.Values.Where(g => g.NextFlush <= now).ToList())
            {
                await FlushAsync(group, now, ct);
            }

            await SaveDirtyAsync(ct);
            ReportCounts();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Someone took the alert: it shows as acknowledged, is no longer repeated on its own, and PagerDuty receives an
    /// acknowledge event for it on every PagerDuty integration its routes reach. Acknowledging again re-sends the events.
    /// </summary>
    public Task<AlertActionResult> AcknowledgeAsync(string fingerprint, string by, string? comment, CancellationToken ct = default) =>
        ActAsync(fingerprint, "acknowledge", ct, (alert, now) =>
        {
            alert.AcknowledgedAt = now;
            alert.AcknowledgedBy = by;
            alert.AcknowledgeComment = comment;
            _logger.LogInformation("Alert {Fingerprint} acknowledged by {By}", alert.Fingerprint, by);
        });

    /// <summary>
    /// Resolves the alert now: PagerDuty receives resolve events at once, the other integrations of its groups get the
    /// resolution with the group's next notification. A later detection starts a new episode.
    /// </summary>
    public Task<AlertActionResult> ResolveAsync(string fingerprint, string by, CancellationToken ct = default) =>
        ActAsync(fingerprint, "resolve", ct, (alert, now) =>
        {
            alert.State = AlertState.Resolved;
            alert.ResolvedAt = now;
            alert.ResolvedBy = $"api:{by}";
            _metrics.Resolved("api");
            _logger.LogInformation("Alert {Fingerprint} resolved by {By}", alert.Fingerprint, by);
        });

    /// <summary>Adds a silence; matching alerts are muted from its start (at once if it has started).</summary>
    public async Task CreateSilenceAsync(Silence silence, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = _time.GetUtcNow();
            await EnsureLoadedAsync(now, ct);
            var matchers = silence.Matchers.Select(m => m.ToMatcher()).ToList();
            await _store.SaveSilenceAsync(silence, TimeToLive(silence, now), ct);
            _silences[silence.Id] = silence;
            _silenceMatchers[silence.Id] = matchers;
            _logger.LogInformation("Silence {Id} by {By} from {Start:O} to {End:O}: {Matchers} ({Comment})",
                silence.Id, silence.CreatedBy, silence.StartsAt, silence.EndsAt, string.Join(",", matchers), silence.Comment);
            UpdateSuppression(now);
            await SaveDirtyAsync(ct);
            ReportCounts();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends a silence now (it stays listed as expired); null when there is no such silence.</summary>
    public async Task<Silence?> ExpireSilenceAsync(string id, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = _time.GetUtcNow();
            await EnsureLoadedAsync(now, ct);
            if (!_silences.TryGetValue(id, out var silence))
            {
                return await _store.GetSilenceAsync(id, ct);
            }

            if (silence.EndsAt > now)
            {
                silence.EndsAt = now;
                if (silence.StartsAt > now)
                {
                    silence.StartsAt = now;
                }

                silence.UpdatedAt = now;
                await _store.SaveSilenceAsync(silence, TimeToLive(silence, now), ct);
                _logger.LogInformation("Silence {Id} expired", id);
            }

            UpdateSuppression(now);
            await SaveDirtyAsync(ct);
            ReportCounts();
            return silence;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AlertActionResult> ActAsync(string fingerprint, string pagerDutyAction, CancellationToken ct, Action<AlertRecord, DateTimeOffset> change)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = _time.GetUtcNow();
            await EnsureLoadedAsync(now, ct);
            if (!_alerts.TryGetValue(fingerprint, out var alert))
            {
                var stored = await _store.GetAlertAsync(fingerprint, ct);
                return new AlertActionResult(stored is null ? AlertActionOutcome.NotFound : AlertActionOutcome.AlreadyResolved, stored);
            }

            if (alert.State == AlertState.Resolved)
            {
                return new AlertActionResult(AlertActionOutcome.AlreadyResolved, alert);
            }

            change(alert, now);
            alert.UpdatedAt = now;
            _dirty.Add(alert.Fingerprint);
            UpdateSuppression(now);
            await SaveDirtyAsync(ct);
            ReportCounts();
            var (sent, failed) = await PublishPagerDutyActionAsync(alert, pagerDutyAction, now, ct);
            return new AlertActionResult(AlertActionOutcome.Done, alert, sent, failed);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(int Sent, int Failed)> PublishPagerDutyActionAsync(AlertRecord alert, string action, DateTimeOffset now, CancellationToken ct)
    {
        var config = _config.Current;
        var integrations = config.Route.Match(alert.Labels)
            .Select(route => config.Receivers[route.Receiver])
            .SelectMany(receiver => receiver.Integrations)
            .Where(i => i.Channel == Channels.PagerDuty)
            .DistinctBy(i => (i.Url, i.RoutingKey))
            .ToList();
        int sent = 0, failed = 0;
        foreach (var integration in integrations)
        {
            var notification = new AlertNotification
            {
                NotificationId = Guid.NewGuid().ToString("N"),
                GroupKey = $"api:{action}:{alert.Fingerprint}",
                Receiver = integration.Receiver,
                Status = alert.State == AlertState.Resolved ? "resolved" : "firing",
                GroupLabels = [],
                CommonLabels = new(alert.Labels),
                CommonAnnotations = new(alert.Annotations),
                Alerts = [GroupNotifications.ToNotified(alert)],
                CreatedAt = now,
            };
            if (await TryPublishAsync(integration, notification, action, ct))
            {
                sent++;
            }
            else
            {
                failed++;
            }
        }

        return (sent, failed);
    }

    private void Merge(AnomalyAlert detection, DateTimeOffset now)
    {
        var fingerprint = AnomalyAlertMapper.FingerprintOf(detection);
        var labels = AnomalyAlertMapper.Labels(detection);
        _alerts.TryGetValue(fingerprint, out var alert);
        if (alert is not null && !string.IsNullOrEmpty(detection.AlertId) && alert.RecentDetectionIds.Contains(detection.AlertId, StringComparer.Ordinal))
        {
            // A redelivered record (the consumer is at-least-once): already merged, so not counted or extended again.
            _metrics.Duplicate();
            return;
        }

        if (alert is null || alert.State == AlertState.Resolved)
        {
            // A new episode. A resolved alert still waiting for its resolve notification is replaced: as in Alertmanager,
            // the group then sees it firing again and no resolution is sent for the gap.
            if (alert is not null && !LabelsEqual(alert.Labels, labels))
            {
                RemoveFromGroups(fingerprint);
            }

            alert = new AlertRecord
            {
                Fingerprint = fingerprint,
                Labels = labels,
                Annotations = AnomalyAlertMapper.Annotations(detection),
                State = AlertState.Firing,
                StartsAt = now,
                LastSeenAt = now,
                Count = 1,
                UpdatedAt = now,
            };
            _alerts[fingerprint] = alert;
        }
        else
        {
            if (!LabelsEqual(alert.Labels, labels))
            {
                // The severity changed: the alert may belong to other routes and groups now.
                RemoveFromGroups(fingerprint);
                alert.Labels = labels;
            }

            alert.Annotations = AnomalyAlertMapper.Annotations(detection);
            alert.LastSeenAt = now;
            alert.Count++;
            alert.UpdatedAt = now;
        }

        if (!string.IsNullOrEmpty(detection.AlertId))
        {
            alert.RecentDetectionIds.Add(detection.AlertId);
            if (alert.RecentDetectionIds.Count > RecentDetectionsKept)
            {
                alert.RecentDetectionIds.RemoveRange(0, alert.RecentDetectionIds.Count - RecentDetectionsKept);
            }
        }

        _metrics.AlertReceived(detection.Kind, detection.Severity);
        _dirty.Add(fingerprint);
        Insert(alert, now);
    }

    private void Insert(AlertRecord alert, DateTimeOffset now)
    {
        foreach (var route in _config.Current.Route.Match(alert.Labels))
        {
            var groupLabels = route.GroupLabels(alert.Labels);
            var key = route.GroupKey(groupLabels);
            if (!_groups.TryGetValue(key, out var group))
            {
                group = new AggregationGroup(key, route, groupLabels, now + route.GroupWait);
                _groups[key] = group;
            }

            group.Fingerprints.Add(alert.Fingerprint);
            // Alertmanager: an alert that started more than group_wait ago has waited enough; do not hold the group back.
            if (!group.HasFlushed && alert.StartsAt + route.GroupWait <= now && group.NextFlush > now)
            {
                group.NextFlush = now;
            }
        }
    }

    private void RemoveFromGroups(string fingerprint)
    {
        foreach (var group in _groups.Values.Where(g => g.Fingerprints.Remove(fingerprint) && g.Fingerprints.Count == 0).ToList())
        {
            DropGroup(group);
        }
    }

    private void DropGroup(AggregationGroup group)
    {
        _groups.Remove(group.Key);
        foreach (var key in _log.Keys.Where(k => k.StartsWith(group.Key + "|", StringComparison.Ordinal)).ToList())
        {
            _log.Remove(key);
        }
    }

    private async Task FlushAsync(AggregationGroup group, DateTimeOffset now, CancellationToken ct)
    {
        group.NextFlush = now + group.Route.GroupInterval;
        group.HasFlushed = true;
        var firing = new List<AlertRecord>();
        var resolved = new List<AlertRecord>();
        var resolvedAll = new List<AlertRecord>();
        Dictionary<(int Rule, string Scope), List<string>>? sources = null;
        foreach (var fingerprint in group.Fingerprints.ToList())
        {
            if (!_alerts.TryGetValue(fingerprint, out var alert))
            {
                group.Fingerprints.Remove(fingerprint);
                continue;
            }

            if (alert.State == AlertState.Resolved)
            {
                resolvedAll.Add(alert);
                // Alertmanager mutes resolutions by the same rules as firing alerts: a silenced alert stays silent.
                if (!IsMuted(alert, now, sources ??= InhibitionSources(), out _, out _))
                {
                    resolved.Add(alert);
                }
            }
            else if (!AlertStates.IsMuted(alert.State))
            {
                firing.Add(alert);
            }
        }

        var config = _config.Current;
        var allDelivered = true;
        if (config.Receivers.TryGetValue(group.Route.Receiver, out var receiver))
        {
            foreach (var integration in receiver.Integrations)
            {
                var logKey = $"{group.Key}|{integration.Key}";
                var last = await GetLogAsync(logKey, ct);
                if (!NotificationDecision.NeedsUpdate(last, firing, resolved, integration.SendResolved, group.Route.RepeatInterval, now))
                {
                    continue;
                }

                var alerts = integration.SendResolved ? firing.Concat(resolved).ToList() : firing;
                if (alerts.Count > 0)
                {
                    var notification = GroupNotifications.For(group, integration, alerts, now);
                    if (!await TryPublishAsync(integration, notification, null, ct))
                    {
                        // Not logged as sent: the group's next flush tries again.
                        allDelivered = false;
                        continue;
                    }
                }

                var entry = new NotificationLogEntry
                {
                    Key = logKey,
                    Firing = firing.Select(a => a.Fingerprint).ToList(),
                    Resolved = resolved.Select(a => a.Fingerprint).ToList(),
                    SentAt = now,
                };
                await _store.SaveNotificationLogAsync(entry, LogRetention(group.Route), ct);
                _log[logKey] = entry;
            }
        }
        else
        {
            _logger.LogError("Group {Group}: route receiver {Receiver} is not in the configuration; nothing notified", group.Key, group.Route.Receiver);
        }

        if (!allDelivered)
        {
            return;
        }

        // Resolutions have been told (or were muted): the group is done with those alerts.
        foreach (var alert in resolvedAll)
        {
            group.Fingerprints.Remove(alert.Fingerprint);
            if (!_groups.Values.Any(g => g.Fingerprints.Contains(alert.Fingerprint)))
            {
                alert.ResolutionNotified = true;
                _dirty.Add(alert.Fingerprint);
            }
        }

        if (group.Fingerprints.Count == 0)
        {
            DropGroup(group);
        }
    }

    private async Task<bool> TryPublishAsync(Integration integration, AlertNotification notification, string? pagerDutyAction, CancellationToken ct)
    {
        try
        {
            await _publisher.PublishAsync(integration, notification, pagerDutyAction, ct);
            _metrics.NotificationPublished(integration.Receiver, integration.Channel);
            _logger.LogDebug("Notification {Id} for {Group} ({Count} alerts, {Status}) queued for {Integration}",
                notification.NotificationId, notification.GroupKey, notification.Alerts.Count, notification.Status, integration.Key);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _metrics.NotificationFailed(integration.Receiver, integration.Channel, "publish");
            _logger.LogError(ex, "Notification for {Group} could not be queued for {Integration}; it is retried at the group's next flush",
                notification.GroupKey, integration.Key);
            return false;
        }
    }

    /// <summary>Recomputes silenced/inhibited for every active alert; changed ones are marked for saving.</summary>
    private void UpdateSuppression(DateTimeOffset now)
    {
        var sources = InhibitionSources();
        foreach (var alert in _alerts.Values)
        {
            if (alert.State == AlertState.Resolved)
            {
                continue;
            }

            IsMuted(alert, now, sources, out var silencedBy, out var inhibitedBy);
            var state = silencedBy.Count > 0 ? AlertState.Silenced
                : inhibitedBy.Count > 0 ? AlertState.Inhibited
                : alert.AcknowledgedAt is not null ? AlertState.Acknowledged
                : AlertState.Firing;
            if (state == alert.State && alert.SilencedBy.SequenceEqual(silencedBy) && alert.InhibitedBy.SequenceEqual(inhibitedBy))
            {
                continue;
            }

            if (AlertStates.IsMuted(state) && state != alert.State)
            {
                _metrics.Suppressed(state);
                _logger.LogInformation("Alert {Fingerprint} ({Labels}) {State} by {By}", alert.Fingerprint, LabelText(alert.Labels),
                    AlertStates.Name(state), string.Join(",", state == AlertState.Silenced ? silencedBy : inhibitedBy));
            }

            alert.State = state;
            alert.SilencedBy = silencedBy;
            alert.InhibitedBy = inhibitedBy;
            alert.UpdatedAt = now;
            _dirty.Add(alert.Fingerprint);
        }
    }

    /// <summary>
    /// For each inhibit rule, the active source alerts by their equal-label values: built once per pass, so muting all
    /// alerts costs one pass over them rather than one per alert.
    /// </summary>
    private Dictionary<(int Rule, string Scope), List<string>> InhibitionSources()
    {
        var sources = new Dictionary<(int, string), List<string>>();
        var rules = _config.Current.InhibitRules;
        for (var r = 0; r < rules.Count; r++)
        {
            foreach (var alert in _alerts.Values)
            {
                if (alert.State != AlertState.Resolved && rules[r].IsSource(alert.Labels))
                {
                    var key = (r, rules[r].EqualKey(alert.Labels));
                    if (!sources.TryGetValue(key, out var list))
                    {
                        sources[key] = list = [];
                    }

                    list.Add(alert.Fingerprint);
                }
            }
        }

        return sources;
    }

    private bool IsMuted(
        AlertRecord alert, DateTimeOffset now, Dictionary<(int Rule, string Scope), List<string>> sources, out List<string> silencedBy, out List<string> inhibitedBy)
    {
        silencedBy = [];
        foreach (var (id, silence) in _silences)
        {
            if (silence.IsActiveAt(now) && _silenceMatchers[id].All(m => m.Matches(alert.Labels)))
            {
                silencedBy.Add(id);
            }
        }

        silencedBy.Sort(StringComparer.Ordinal);
        inhibitedBy = [];
        var rules = _config.Current.InhibitRules;
        for (var r = 0; r < rules.Count; r++)
        {
            if (rules[r].IsTarget(alert.Labels) && sources.TryGetValue((r, rules[r].EqualKey(alert.Labels)), out var inhibitors))
            {
                foreach (var source in inhibitors)
                {
                    if (source != alert.Fingerprint && !inhibitedBy.Contains(source, StringComparer.Ordinal))
                    {
                        inhibitedBy.Add(source);
                    }
                }
            }
        }

        inhibitedBy.Sort(StringComparer.Ordinal);
        return silencedBy.Count > 0 || inhibitedBy.Count > 0;
    }

    private async Task EnsureLoadedAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (!_loaded)
        {
            foreach (var alert in await _store.ListAlertsAsync(ct))
            {
                // Resolved alerts whose resolution went out are history: listed by the API, not part of any group.
                if (alert.State != AlertState.Resolved || !alert.ResolutionNotified)
                {
                    _alerts[alert.Fingerprint] = alert;
                }
            }

            foreach (var silence in await _store.ListSilencesAsync(ct))
            {
                try
                {
                    _silenceMatchers[silence.Id] = silence.Matchers.Select(m => m.ToMatcher()).ToList();
                    _silences[silence.Id] = silence;
                }
                catch (FormatException ex)
                {
                    _logger.LogError("Stored silence {Id} has a matcher that no longer compiles and is ignored: {Reason}", silence.Id, ex.Message);
                }
            }

            _loaded = true;
            _routedWith = null;
            if (_alerts.Count > 0)
            {
                _logger.LogInformation("Alert engine loaded {Alerts} alerts and {Silences} silences from the store", _alerts.Count, _silences.Count);
            }
        }

        var config = _config.Current;
        if (!ReferenceEquals(config, _routedWith))
        {
            // A new configuration: regroup everything. Unchanged routes give the same group keys, so the notification log
            // keeps them from re-notifying; alerts older than group_wait flush at once.
            _groups.Clear();
            _log.Clear();
            _routedWith = config;
            foreach (var alert in _alerts.Values)
            {
                Insert(alert, now);
            }
        }
    }

    private async Task<NotificationLogEntry?> GetLogAsync(string key, CancellationToken ct)
    {
        if (!_log.TryGetValue(key, out var entry))
        {
            entry = await _store.GetNotificationLogAsync(key, ct);
            _log[key] = entry;
        }

        return entry;
    }

    private async Task SaveDirtyAsync(CancellationToken ct)
    {
        if (_dirty.Count == 0)
        {
            return;
        }

        var writes = new List<(AlertRecord, TimeSpan?)>(_dirty.Count);
        foreach (var fingerprint in _dirty)
        {
            if (_alerts.TryGetValue(fingerprint, out var alert))
            {
                writes.Add((alert, alert.State == AlertState.Resolved ? _retention : null));
            }
        }

        // Only cleared once stored: after a failed write (Redis down) the next call writes them again.
        await _store.SaveAlertsAsync(writes, ct);
        _dirty.Clear();
        foreach (var (alert, _) in writes)
        {
            if (alert.ResolutionNotified)
            {
                _alerts.Remove(alert.Fingerprint);
            }
        }
    }

    private void ReportCounts()
    {
        var counts = new Dictionary<AlertState, int>();
        foreach (var alert in _alerts.Values)
        {
            counts[alert.State] = counts.GetValueOrDefault(alert.State) + 1;
        }

        _metrics.StateCounts(counts);
    }

    private TimeSpan TimeToLive(Silence silence, DateTimeOffset now)
    {
        var left = silence.EndsAt - now;
        return (left > TimeSpan.Zero ? left : TimeSpan.Zero) + _retention;
    }

    // Kept at least two repeat intervals, so an entry never expires before the repeat it governs.
    private TimeSpan LogRetention(AlertRoute route) => route.RepeatInterval * 2 > _retention ? route.RepeatInterval * 2 : _retention;

    private static bool LabelsEqual(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var v) && v == pair.Value);

    private static string LabelText(Dictionary<string, string> labels) =>
        string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
