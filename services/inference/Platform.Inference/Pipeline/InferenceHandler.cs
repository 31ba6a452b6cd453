using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.Kafka;

namespace Platform.Inference.Pipeline;

/// <summary>
/// One consumer batch of features.updated, orders.validated and inventory.levels: forecasts for the SKUs whose features
/// changed, spike and drop judgements of the hours their windows completed, stockout risk for the SKUs whose stock was
/// reported, and order risk for the orders' lines. Every output is produced through <see cref="OutputBatch.Produce(ConsumeResult{byte[], byte[]}, string, byte[], byte[], Headers)"/>
/// with its source record, so a redelivered record never produces the same output twice.
/// </summary>
/// <remarks>
/// <para>Coalescing: a SKU named by several notices in a batch is read and scored once, its forecast attributed to the
/// last of them. The online store is the truth, so the latest read serves them all.</para>
/// <para>Idle SKUs: the feature store rewrites every SKU's demand window when its watermark enters a new hour, but sends
/// no notice for a SKU without lines. So when the notices' as-of time enters a new hour, every SKU this instance
/// tracks is forecast again (a sweep): forecasts move on with the clock and a SKU that stopped selling has its empty
/// hours judged (a drop to zero is found without waiting for its next sale).</para>
/// <para>State (last forecast and open incident per SKU, stockout incidents) changes only after the batch's outputs are
/// acknowledged, so a batch the consumer host retries is judged again from the same state and produces the same
/// alerts. It lives in memory: docs/inference.md says what a restart loses.</para>
/// </remarks>
internal sealed class InferenceHandler(
    SkuForecaster forecaster,
    InferenceMetrics metrics,
    AnomalyOptions anomalies,
    string expectedSchemaHash,
    TimeProvider time,
    ILogger<InferenceHandler> logger) : IPartitionAwareBatchHandler
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan NoticeCatchUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan NoticeCatchUpStep = TimeSpan.FromMilliseconds(50);

    private readonly DemandAnomalyJudge _demand = new(anomalies);
    private readonly StockoutJudge _stockout = new(anomalies);
    private readonly OrderRiskMonitor _orders = new(anomalies);
    private readonly RegionVolumeMonitor _regions = new(anomalies);
    private readonly DemandLevel _level = new(anomalies);
    private readonly Dictionary<string, SkuDemandState> _skus = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, HashSet<string>> _skusByPartition = [];
    private readonly Dictionary<string, bool> _stockoutRisk = new(StringComparer.Ordinal);
    private long _clockHour = long.MinValue;

    /// <summary>SKUs whose forecast state this instance holds (features.updated partitions it owns).</summary>
    public int TrackedSkus => _skus.Count;

    public void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions)
    {
    }

    public void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_skusByPartition.Remove(partition, out var skus))
            {
                foreach (var sku in skus)
                {
                    _skus.Remove(sku);
                }
            }
        }
    }

    public async Task HandleAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> batch, OutputBatch output, CancellationToken ct)
    {
        var work = Sort(batch);
        var skus = work.Notices.Keys.Union(work.Inventory.Keys, StringComparer.Ordinal).ToList();
        var forecasts = await forecaster.ForecastAsync(skus, ct);
        var bySku = new Dictionary<string, SkuForecast>(StringComparer.Ordinal);
        foreach (var forecast in forecasts)
        {
            if (forecast is not null)
            {
                bySku[forecast.Sku] = forecast;
            }
        }

        await CatchUpWithNoticesAsync(work, bySku, ct);

        var now = time.GetUtcNow();
        var stagedSkus = new List<(TopicPartition Partition, string Sku, SkuDemandState State)>();
        var stagedStock = new List<(string Sku, bool AtRisk)>();
        var alerts = new List<AnomalyAlert>();
        var shopLevel = _level.Begin();
        ConsumeResult<byte[]?, byte[]?>? lastNotice = null;
        foreach (var (sku, notice) in work.Notices)
        {
            if (!bySku.TryGetValue(sku, out var forecast))
            {
                continue;
            }

            // The notice's process span: the forecast's and alerts' publish spans are its children. A swept SKU had no notice.
            using var activity = notice.Sweep ? null : KafkaTracing.StartProcess(notice.Record);
            var trace = notice.Sweep ? null : TraceIdOf(notice.Record);
            var known = _skus.GetValueOrDefault(sku);
            if (known is not null && SameForecast(known, forecast))
            {
                // forecasts.demand is compacted per SKU and its consumers keep the latest: a repeat would only be noise.
                // Within an hour the window is unchanged, so a model without feature covariates gives the same numbers.
                metrics.Skipped("forecast_unchanged");
            }
            else
            {
                Produce(output, notice.Record, Topics.ForecastsDemand, sku, JsonSerializer.SerializeToUtf8Bytes(Message(forecast, now, trace), ContractsJsonContext.Default.DemandForecast));
                metrics.ForecastProduced();
            }

            var state = known?.Clone() ?? new SkuDemandState();
            alerts.Clear();
            _demand.Observe(state, forecast, shopLevel, now, trace, alerts);
            if (anomalies.DemandAlerts)
            {
                ProduceAlerts(output, notice.Record, alerts);
            }

            stagedSkus.Add((notice.Partition, sku, state));
            lastNotice = notice.Record;
        }

        if (anomalies.DemandAlerts && lastNotice is not null)
        {
            // The shop's own hours, once their SKUs are judged: one alert for a shift every SKU shares.
            ProduceAlerts(output, lastNotice, shopLevel.JudgeSettledHours(now, traceId: null));
        }

        foreach (var (sku, (record, level)) in work.Inventory)
        {
            if (!anomalies.StockoutAlerts || !bySku.TryGetValue(sku, out var forecast))
            {
                continue;
            }

            var (atRisk, alert) = _stockout.Observe(level, forecast, _stockoutRisk.GetValueOrDefault(sku), now, TraceIdOf(record));
            if (alert is not null)
            {
                using var activity = KafkaTracing.StartProcess(record);
                ProduceAlerts(output, record, [alert]);
            }

            stagedStock.Add((sku, atRisk));
        }

        if (anomalies.OrderRiskAlerts && work.Lines.Count > 0)
        {
            foreach (var (source, alert) in _orders.Observe(work.Lines, now, TraceIdOf))
            {
                using var activity = KafkaTracing.StartProcess(source);
                ProduceAlerts(output, source, [alert]);
            }
        }

        RegionVolumeMonitor.Pending? regions = null;
        if (anomalies.RegionVolumeAlerts && work.Lines.Count > 0)
        {
            regions = _regions.Observe(work.Lines, now, TraceIdOf);
            foreach (var (source, alert) in regions.Alerts)
            {
                ProduceAlerts(output, source, [alert]);
            }
        }

        // Only once the outputs are in Kafka does the state move on (see remarks).
        await output.WhenAcknowledgedAsync(AckTimeout);
        if (regions is not null)
        {
            _regions.Commit(regions);
        }

        _level.Commit(shopLevel);
        metrics.DemandLevel(_level.Current);

        foreach (var (partition, sku, state) in stagedSkus)
        {
            _skus[sku] = state;
            if (!_skusByPartition.TryGetValue(partition, out var set))
            {
                _skusByPartition[partition] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(sku);
        }

        foreach (var (sku, atRisk) in stagedStock)
        {
            if (atRisk)
            {
                _stockoutRisk[sku] = true;
            }
            else
            {
                _stockoutRisk.Remove(sku);
            }
        }

        if (work.ClockHour is { } hour)
        {
            _clockHour = hour;
        }
    }

    /// <summary>
    /// The feature store publishes a notice in the same flush that writes the store, and the notice can arrive first. A
    /// SKU whose window is missing or ends before the hour of its notice's watermark is read again, a few times over up to
    /// <see cref="NoticeCatchUp"/>, so the forecast is made from the features the notice announced.
    /// </summary>
    private async Task CatchUpWithNoticesAsync(BatchWork work, Dictionary<string, SkuForecast> bySku, CancellationToken ct)
    {
        // Real time, not the TimeProvider: this waits for another service's write, not for event or business time.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            // A window ends at the hour holding the writer's watermark, and is rewritten only when that hour changes.
            var behind = work.Notices.Where(kv => !kv.Value.Sweep
                    && (!bySku.TryGetValue(kv.Key, out var f) || f.Window.End.UtcTicks < kv.Value.AsOf.UtcTicks - kv.Value.AsOf.UtcTicks % TimeSpan.TicksPerHour))
                .Select(kv => kv.Key).ToList();
            if (behind.Count == 0 || System.Diagnostics.Stopwatch.GetElapsedTime(started) >= NoticeCatchUp)
            {
                return;
            }

            await Task.Delay(NoticeCatchUpStep, ct);
            var again = await forecaster.ForecastAsync(behind, ct);
            foreach (var forecast in again)
            {
                if (forecast is not null)
                {
                    bySku[forecast.Sku] = forecast;
                }
            }
        }
    }

    private BatchWork Sort(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> batch)
    {
        var work = new BatchWork();
        long clock = _clockHour;
        ConsumeResult<byte[]?, byte[]?>? clockRecord = null;
        foreach (var record in batch)
        {
            try
            {
                switch (record.Topic)
                {
                    case Topics.FeaturesUpdated:
                        var notice = JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.FeaturesUpdated) ?? throw new JsonException("null notice");
                        if (notice.EntityType != "sku" || !notice.EntityKey.StartsWith("sku:", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        if (!string.Equals(notice.FeatureSchemaHash, expectedSchemaHash, StringComparison.Ordinal))
                        {
                            metrics.Skipped("feature_schema_mismatch");
                            logger.LogWarning("features.updated for {Entity} has feature schema {Hash}; models here need {Expected}: not forecast",
                                notice.EntityKey, notice.FeatureSchemaHash, expectedSchemaHash);
                            continue;
                        }

                        var sku = notice.EntityKey[4..];
                        work.Notices.Remove(sku);
                        work.Notices[sku] = new Notice(record, record.TopicPartition, Sweep: false) { AsOf = notice.AsOf };
                        var hour = notice.AsOf.UtcTicks / TimeSpan.TicksPerHour;
                        if (hour > clock)
                        {
                            clock = hour;
                            clockRecord = record;
                        }

                        break;
                    case Topics.OrdersValidated:
                        var line = JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.OrderLineValidated) ?? throw new JsonException("null line");
                        work.Lines.Add((record, line));
                        break;
                    case Topics.InventoryLevels:
                        var level = JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.InventoryLevel) ?? throw new JsonException("null level");
                        if (string.IsNullOrEmpty(level.Sku))
                        {
                            throw new JsonException("inventory level without a SKU");
                        }

                        work.Inventory.Remove(level.Sku);
                        work.Inventory[level.Sku] = (record, level);
                        break;
                }
            }
            catch (Exception ex) when (ex is JsonException or ArgumentNullException or NotSupportedException)
            {
                // A record that cannot be read is skipped, counted and named; it must not block its partition.
                metrics.Skipped("unreadable");
                logger.LogWarning("Unreadable record at {Topic}[{Partition}]@{Offset} skipped: {Reason}", record.Topic, record.Partition.Value, record.Offset.Value, ex.Message);
            }
        }

        if (clockRecord is not null && clock > _clockHour)
        {
            work.ClockHour = clock;
            if (_clockHour != long.MinValue)
            {
                // The notices' event time entered a new hour: forecast every tracked SKU again (see remarks).
                foreach (var (partition, tracked) in _skusByPartition)
                {
                    foreach (var sku in tracked)
                    {
                        work.Notices.TryAdd(sku, new Notice(clockRecord, partition, Sweep: true));
                    }
                }
            }
        }

        return work;
    }

    /// <summary>Same origin, model and quantiles (as remembered, in single precision) as the SKU's last forecast.</summary>
    private static bool SameForecast(SkuDemandState known, SkuForecast forecast)
    {
        if (!known.HasForecast || known.Origin != forecast.Origin || known.ModelVersion != forecast.ModelVersion || known.P50.Length != forecast.Horizon)
        {
            return false;
        }

        for (var h = 0; h < forecast.Horizon; h++)
        {
            if (known.P10[h] != (float)forecast.P10[h] || known.P50[h] != (float)forecast.P50[h] || known.P90[h] != (float)forecast.P90[h])
            {
                return false;
            }
        }

        return true;
    }

    private static DemandForecast Message(SkuForecast forecast, DateTimeOffset now, string? trace)
    {
        var steps = new ForecastStep[forecast.Horizon];
        for (var h = 0; h < steps.Length; h++)
        {
            steps[h] = new ForecastStep
            {
                Step = h + 1,
                PeriodStart = forecast.Origin.AddHours(h),
                P10 = forecast.P10[h],
                P50 = forecast.P50[h],
                P90 = forecast.P90[h],
            };
        }

        return new DemandForecast
        {
            Sku = forecast.Sku,
            ModelVersion = forecast.ModelVersion,
            GeneratedAt = now,
            FeatureAsOf = forecast.Window.AsOf,
            StepUnit = "hour",
            Steps = steps,
            TraceId = trace,
        };
    }

    private void ProduceAlerts(OutputBatch output, ConsumeResult<byte[]?, byte[]?> source, List<AnomalyAlert> alerts)
    {
        foreach (var alert in alerts)
        {
            // Keyed by SKU; an alert about a whole region (no SKU) by its region ("region:all" for the whole shop), so one
            // region's alerts stay in order.
            var key = alert.Sku.Length > 0 ? alert.Sku : "region:" + alert.Region;
            Produce(output, source, Topics.AlertsAnomalies, key, JsonSerializer.SerializeToUtf8Bytes(alert, ContractsJsonContext.Default.AnomalyAlert));
            metrics.AlertProduced(alert.Kind);
        }
    }

    private static void Produce(OutputBatch output, ConsumeResult<byte[]?, byte[]?> source, string topic, string key, byte[] value)
    {
        // The order's trace goes on with the output (the producer replaces it with its publish span when tracing is on).
        Headers? headers = null;
        if (source.Message.Headers?.TryGetLastBytes(KafkaTracing.TraceParentHeader, out var parent) == true)
        {
            headers = new Headers { { KafkaTracing.TraceParentHeader, parent } };
        }

        output.Produce(source, topic, Encoding.UTF8.GetBytes(key), value, headers);
    }

    private static string? TraceIdOf(ConsumeResult<byte[]?, byte[]?> record)
    {
        var context = KafkaTracing.Extract(record.Message.Headers);
        return context.TraceId == default ? null : context.TraceId.ToHexString();
    }

    private sealed record Notice(ConsumeResult<byte[]?, byte[]?> Record, TopicPartition Partition, bool Sweep)
    {
        /// <summary>The feature store's watermark when it sent the notice: the window must be at least this fresh.</summary>
        public DateTimeOffset AsOf { get; init; } = DateTimeOffset.MinValue;
    }

    private sealed class BatchWork
    {
        public Dictionary<string, Notice> Notices { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (ConsumeResult<byte[]?, byte[]?> Record, InventoryLevel Level)> Inventory { get; } = new(StringComparer.Ordinal);

        public List<(ConsumeResult<byte[]?, byte[]?> Record, OrderLineValidated Line)> Lines { get; } = [];

        public long? ClockHour { get; set; }
    }
}
