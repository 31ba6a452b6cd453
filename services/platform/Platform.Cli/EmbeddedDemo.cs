using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Platform.Alerting;
using Platform.Alerting.Configuration;
using Platform.Contracts;
using Platform.Features;
using Platform.FeatureStore;
using Platform.FeatureStore.Backfill;
using Platform.Inference;
using Platform.Ingestion.Validation;
using Platform.Ingestion;
using Platform.OnlineStore;
using Platform.Kafka;
using Platform.ServiceDefaults;
using Platform.Simulator;
using Platform.Simulator.Inventory;

namespace Platform.Cli;

/// <summary>
/// Runs the services in this process against the embedded (or given) Kafka, publishes simulated orders for
/// the requested time, verifies every valid order arrived on orders.validated exactly once, and prints a summary.
/// </summary>
public sealed class EmbeddedDemo(EmbeddedDemo.Settings settings)
{
    public sealed record Settings(TimeSpan Duration, double Rate, int Seed, bool Json, string? Kafka, string? Redis, double Compression, string HttpUrl, string? OfflineDirectory = null, string? Webhook = null);

    /// <summary>Anomalies injected per simulated day: more than the simulator's default, so that a one-minute run has enough to score.</summary>
    public const double DemoAnomaliesPerSimulatedDay = 12;

    /// <summary>Partitions of orders.validated (see BuildApp): the history backfill puts each SKU's state where its records come from.</summary>
    private const int ValidatedPartitions = 24;

    /// <summary>
    /// Event-time delay the feature store waits for stragglers, in real time (see BuildApp). Every service shares two
    /// cores here, and at the simulated day's peak (3–4 times the mean rate) a minute's run builds a backlog of several
    /// seconds: 15 s from 60 s on. A shorter run's backlog is shorter, and since event time runs faster (one simulated day
    /// per run) a fixed 15 s would hold half its day back: a quarter of the run, at least 5 s.
    /// </summary>
    private TimeSpan RealGrace => TimeSpan.FromSeconds(Math.Clamp(settings.Duration.TotalSeconds / 4, 5, 15));

    /// <summary>
    /// Lines per order in the demo: half the Online Retail median (16, a wholesaler's). Orders are what the demo's rate
    /// counts; a web shop's orders are smaller, and the halved line volume keeps the whole pipeline within two cores.
    /// </summary>
    public const double DemoMedianLinesPerOrder = 8;

    private static readonly System.Diagnostics.ActivitySource DemoSource = new("Platform.Demo");

    private readonly string _featureGroup = $"feature-store-demo-{Guid.NewGuid():N}";
    // The demo's own API key for /api/v1 (printed at start); deployments set Alerting:ApiKey from a secret.
    private readonly string _alertingApiKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
    private readonly ConcurrentDictionary<string, long> _publishedByTrace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _customerOfBurstOrder = new(StringComparer.Ordinal);
    private IReadOnlyList<Simulator.InjectedAnomaly> _injected = [];

    /// <summary>How long to wait after publishing for the pipeline to catch up before declaring orders lost.</summary>
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Longest wait for the feature store after ingestion caught up, even while it still makes progress.</summary>
    private static readonly TimeSpan FeatureCatchUpLimit = TimeSpan.FromMinutes(5);

    // Demo-only key: the demo's hashes need not match production's. Real deployments set Ingestion:CustomerHashKey from a secret.
    private const string DemoCustomerHashKey = "ZGVtby1vbmx5LWN1c3RvbWVyLWhhc2gta2V5IQ==";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (settings.Webhook is { } webhook && !(Uri.TryCreate(webhook, UriKind.Absolute, out var hook) && hook.Scheme is "http" or "https"))
        {
            Log($"demo: --webhook must be an absolute http:// or https:// URL (got '{webhook}')");
            return 2;
        }

        var liveStart = DateTimeOffset.UtcNow - settings.Duration * Compression;
        await using var receiver = settings.Webhook is null ? await DemoNotificationReceiver.StartAsync(ct) : null;
        var registry = Directory.CreateTempSubdirectory("platform-demo-models-");
        try
        {
            return await RunAsync(liveStart, registry.FullName, receiver, ct);
        }
        finally
        {
            registry.Delete(recursive: true);
        }
    }

    private async Task<int> RunAsync(DateTimeOffset liveStart, string registryDirectory, DemoNotificationReceiver? receiver, CancellationToken ct)
    {
        var app = BuildApp(registryDirectory, settings.Webhook ?? receiver!.Url);
        // Topics first: a consumer that joins before its topic has all its partitions is assigned only the ones it
        // saw, and would not notice the others until its next metadata refresh (minutes).
        var connection = app.Services.GetRequiredService<KafkaConnection>();
        await connection.EnsureTopicsAsync(Topics.All.Concat(AlertingExtensions.TopicsUsed).Distinct(), ct);

        // Before the services start: the feature store continues from the history's state, and inference finds a model.
        Log($"history: simulating {DemoHistory.Span.TotalDays:0} days before the run to train the first model and backfill the feature store...");
        var schema = app.Services.GetRequiredService<FeatureSchema>();
        var backfill = new FeatureStateBackfill(app.Services.GetRequiredService<IFeatureStateStore>(), schema,
            new FeatureStateBackfill.Settings(_featureGroup, ValidatedPartitions));
        // The live rate is corrected for the day the run covers (RateCorrection); the history runs at the same rate, so the
        // level the model learns is the level the run has, and only the injected anomalies depart from it.
        var liveSimulator = SimulatorFor(settings, Compression, liveStart, RealGrace);
        var history = await DemoHistory.PrepareAsync(settings.Seed, liveSimulator.Options.MeanOrdersPerSecond, Compression, liveStart,
            new CustomerIdHasher(Convert.FromBase64String(DemoCustomerHashKey)), backfill, registryDirectory, schema.Hash, ct);
        Log($"history: {history.Orders:N0} orders, {history.LinesBackfilled:N0} lines backfilled into {history.Entities:N0} entities, " +
            $"model {history.Model.Metadata.ModelName} v{history.Model.Version:D4} trained, in {history.Elapsed.TotalSeconds:F1} s");

        await app.StartAsync(ct);
        var metrics = app.Services.GetRequiredService<IngestionMetrics>();
        var hosts = app.Services.GetServices<BatchConsumerHost>().ToList();
        var consumer = hosts.Single(h => h.Name == "ingestion");
        var featureHosts = hosts.Where(h => h.Name.StartsWith("feature-store", StringComparison.Ordinal)).ToList();
        var inferenceHost = hosts.Single(h => h.Name == InferenceExtensions.ConsumerName);
        var inventoryHost = app.Services.GetRequiredService<InventoryService>().Consumer;
        var alertingHost = hosts.Single(h => h.Name == "alerting");
        var features = app.Services.GetRequiredService<FeatureStoreMetrics>();
        var producer = app.Services.GetRequiredService<PlatformProducer>();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Log($"Kafka {(connection.IsEmbedded ? "embedded mock cluster" : "at")} {connection.BootstrapServers}; " +
            $"dedup {(settings.Redis is null ? "in memory" : $"in Redis {settings.Redis}")}; POST {url}/orders, GET {url}/metrics, GET {url}/api/v1/alerts; " +
            $"alert notifications (PagerDuty Events v2) to {settings.Webhook ?? receiver!.Url}");

        using var verifier = new ValidatedOrdersVerifier(connection.BootstrapServers);
        verifier.Start();
        using var observer = new DemoOutputObserver(connection.BootstrapServers, _publishedByTrace);
        observer.Start();
        using var stopProbe = new CancellationTokenSource();
        // A reader has its own Redis connection, as an inference pod would: sharing the writer's would queue each read
        // behind the feature store's flush transactions.
        using var probeRedis = settings.Redis is null ? null : await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(settings.Redis);
        var probeStore = probeRedis is null
            ? app.Services.GetRequiredKeyedService<IOnlineFeatureStore>(FeatureStoreExtensions.RedisKey)
            : new RedisOnlineStore(probeRedis);
        var probe = new OnlineReadProbe(probeStore, new OrderSimulator(new SimulatorOptions { Seed = settings.Seed }).Catalog);
        var probing = probe.RunAsync(stopProbe.Token);

        var published = await PublishAsync(producer, verifier, metrics, consumer, features, liveSimulator,
            app.Services.GetRequiredService<InventoryService>().Book, ct);
        await WaitForCatchUpAsync(verifier, published, metrics, consumer, ct);
        await WaitForFeaturesAsync(verifier, features, featureHosts, ct);
        await WaitForOutputsAsync([inferenceHost, alertingHost], app.Services.GetRequiredService<AlertingMetrics>(), ct);
        await stopProbe.CancelAsync();
        await probing;
        var featureEntities = features.Entities; // before the stop hands the partitions (and their state) back

        await app.StopAsync(CancellationToken.None);
        verifier.Stop();
        observer.Stop();
        var pipelineHealthy = consumer.Fault is null && featureHosts.All(h => h.Fault is null) && inferenceHost.Fault is null && alertingHost.Fault is null
            && inventoryHost.Fault is null;
        var summary = Summarize(published, metrics, verifier, connection, consumer, features, featureEntities, featureHosts, probe) with
        {
            Healthy = pipelineHealthy,
        };
        summary = AddOutputs(summary, history, observer, app.Services.GetRequiredService<AlertingMetrics>(), receiver,
            app.Services.GetRequiredService<InventoryService>().Book.Snapshot());
        await app.DisposeAsync();
        Report(summary);
        return summary.Lost == 0 && summary.FeatureLinesUnaccounted == 0 && summary.Healthy ? 0 : 1;
    }

    /// <summary>By default one run covers one simulated day, so its volume does not depend on the hour it starts.</summary>
    private double Compression => settings.Compression > 0 ? settings.Compression : TimeSpan.FromDays(1) / settings.Duration;

    private WebApplication BuildApp(string registryDirectory, string notificationUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(settings.HttpUrl);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        // Console output of the logger goes to stderr so that stdout carries only the summary.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = settings.Kafka ?? "",
            ["Kafka:TopicPartitions:orders.raw"] = "6",
            // The mock broker keeps only about 5 MB per partition (librdkafka's hard-coded limit): a consumer lagging by
            // more than that would find its next records deleted. More partitions keep the feature store's backlog
            // during a run's peak within what the mock retains.
            ["Kafka:TopicPartitions:orders.validated"] = "24",
            ["Kafka:TopicPartitions:orders.rejected"] = "3",
            ["Ingestion:CustomerHashKey"] = DemoCustomerHashKey,
            ["Ingestion:Redis"] = settings.Redis ?? "",
            ["Ingestion:ConsumerGroup"] = $"ingestion-demo-{Guid.NewGuid():N}",
            ["Kafka:TopicPartitions:features.category-lines"] = "12",
            ["Kafka:TopicPartitions:features.updated"] = "6",
            ["Kafka:TopicPartitions:orders.late"] = "3",
            ["FeatureStore:Redis"] = settings.Redis ?? "",
            ["FeatureStore:ConsumerGroup"] = _featureGroup,
            ["FeatureStore:OfflineDirectory"] = settings.OfflineDirectory ?? "",
            // Notices coalesce per entity per flush: a second's worth keeps inference's input (and forecasts) to what changes.
            ["FeatureStore:FlushInterval"] = "00:00:01",
            ["FeatureStore:MaxLinesPerFlush"] = "50000",
            // Event time runs Compression times faster than the clock here: a grace of 10 s of real delay (ingestion
            // batches, consumer lag on a small machine) keeps the share of late lines near what production sees.
            ["FeatureStore:Features:GracePeriod"] = Simulated(RealGrace),
            ["FeatureStore:Features:MaxFutureSkew"] = Simulated(RealGrace),
            // Several services share two cores here: larger producer batches mean fewer message sets for every consumer
            // group to fetch (the mock broker scans them per fetch), and one ONNX Runtime thread scores a micro-batch of
            // this small model without a spinning thread pool taking a core from the rest.
            ["Kafka:Producer:linger.ms"] = "50",
            ["Kafka:Consumer:fetch.wait.max.ms"] = "100",
            ["Inference:IntraOpThreads"] = "1",
            ["Inference:ModelRegistry"] = registryDirectory,
            ["Inference:Redis"] = settings.Redis ?? "",
            ["Inference:ConsumerGroup"] = $"inference-demo-{Guid.NewGuid():N}",
            // Region order counts: partitions of orders.validated drift apart in event time on a busy machine, as the
            // feature store's lines do; wait half its grace before judging a bucket.
            ["Inference:Anomalies:RegionLateness"] = Simulated(RealGrace / 2),
            ["Alerting:ApiKey"] = _alertingApiKey,
            ["Alerting:ConsumerGroup"] = $"alerting-demo-{Guid.NewGuid():N}",
            ["Alerting:Redis"] = settings.Redis ?? "",
            ["Alerting:RedisKeyPrefix"] = $"alerting-demo-{Guid.NewGuid():N}:",
            ["Alerting:ConfigYaml"] = AlertingConfigTemplates.PagerDutyWebhook(notificationUrl),
        });
        builder.AddServiceDefaults("platform-demo");
        builder.AddIngestion();
        builder.AddFeatureStore();
        // After the feature store: with Inference:Redis empty, inference reads the feature store's in-process online store.
        builder.AddInference();
        builder.AddAlerting();
        // The simulator plays the inventory service: it reads the forecasts, keeps stock and publishes inventory.levels.
        // Lead times of hours, not days, so that a one-day run sees replenishment cycles and some stockouts.
        builder.Services.AddInventorySimulation(new InventoryOptions
        {
            Seed = settings.Seed,
            MinLeadTimeHours = 2,
            MaxLeadTimeHours = 8,
            // The publisher hands it each order's lines as it sends them (PublishAsync): the inventory system hears of
            // sales from the order system, and the busiest topic has one reader fewer.
            ConsumeOrders = false,
            ConsumerGroup = $"inventory-demo-{Guid.NewGuid():N}",
        });
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapIngestion();
        app.MapFeatureStore();
        app.MapInference();
        app.MapAlerting();
        return app;
    }

    /// <summary>A real-time span as simulated time ("c" format), since event time runs Compression times faster than the clock.</summary>
    private string Simulated(TimeSpan real) => (real * Compression).ToString("c", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Published(long Total, long Valid, long Malformed, long Duplicates, ConcurrentDictionary<string, long> PendingValid, double Seconds);

    private static OrderSimulator SimulatorFor(Settings settings, double compression, DateTimeOffset liveStart, TimeSpan realGrace)
    {
        var end = liveStart + settings.Duration * compression;
        var options = new SimulatorOptions
        {
            Seed = settings.Seed,
            TimeCompression = compression,
            SimulatedStart = liveStart,
            OrderIdPrefix = $"D{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x}",
            AnomaliesPerSimulatedDay = DemoAnomaliesPerSimulatedDay,
            MedianLinesPerOrder = DemoMedianLinesPerOrder,
            // After a simulated hour, so price and velocity baselines exist; and ending a cool-down before the stream does,
            // so event time (and with it the feature store's watermark and every judgement) gets past each of them.
            AnomaliesNotBefore = liveStart + TimeSpan.FromHours(1),
            AnomaliesNotAfter = end - (realGrace * compression + TimeSpan.FromHours(2)),
        };
        options.MeanOrdersPerSecond = settings.Rate;
        options.MeanOrdersPerSecond = settings.Rate * RateCorrection(options, settings.Duration);
        return new OrderSimulator(options);
    }

    private async Task<Published> PublishAsync(
        PlatformProducer producer, ValidatedOrdersVerifier verifier, IngestionMetrics metrics, BatchConsumerHost consumer, FeatureStoreMetrics features,
        OrderSimulator simulator, InventoryBook inventory, CancellationToken ct)
    {
        var events = simulator.Generate(settings.Duration);
        _injected = simulator.Anomalies;
        var burstingCustomers = _injected.Where(a => a.CustomerId is not null).Select(a => a.CustomerId!).ToHashSet(StringComparer.Ordinal);

        var pending = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        verifier.Expect(pending);
        long total = 0, valid = 0, malformed = 0, duplicates = 0, failed = 0;
        var started = Stopwatch.GetTimestamp();
        var nextProgress = TimeSpan.FromSeconds(1);
        Action<DeliveryReport<byte[]?, byte[]?>> onDelivered = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };

        foreach (var e in events)
        {
            if (ct.IsCancellationRequested)
            {
                break;
            }

            var wait = e.RealOffset - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(wait, ct);
            }

            if (e.Kind == SimulatedEventKind.Valid)
            {
                // Orders and cancellations are told apart by event type, as ingestion's dedup does.
                pending[$"{e.EventType}:{e.OrderId}"] = Stopwatch.GetTimestamp();
                valid++;
            }
            else if (e.Kind == SimulatedEventKind.Malformed)
            {
                malformed++;
            }
            else
            {
                duplicates++;
            }

            if (e.Order is { } order)
            {
                if (order.CustomerId is { } customer && burstingCustomers.Contains(customer))
                {
                    _customerOfBurstOrder[order.OrderId] = customer;
                }

                if (order.EventType == OrderEventTypes.Placed)
                {
                    for (var i = 0; i < order.Lines.Count; i++)
                    {
                        inventory.ApplySale($"{order.OrderId}:{i + 1}", order.Lines[i].Sku, order.Lines[i].Quantity, order.OccurredAt);
                    }
                }
            }

            total++;
            // The order system's span: its trace goes with the order through every service to the forecasts made from it.
            using (var span = e.Kind == SimulatedEventKind.Valid ? DemoSource.StartActivity("order submit", ActivityKind.Producer) : null)
            {
                if (span is not null)
                {
                    _publishedByTrace[span.TraceId.ToHexString()] = Stopwatch.GetTimestamp();
                }

                producer.Produce(Topics.OrdersRaw,
                    new Message<byte[]?, byte[]?> { Key = e.Key is null ? null : Encoding.UTF8.GetBytes(e.Key), Value = e.Payload },
                    onDelivered);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= nextProgress)
            {
                nextProgress += TimeSpan.FromSeconds(1);
                Progress(elapsed, total, metrics, consumer, verifier, features);
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        if (failed > 0)
        {
            Log($"{failed} simulated records could not be published to Kafka");
        }

        return new Published(total, valid, malformed, duplicates, pending, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// The simulator's rate is a weekly mean, modulated by hour, weekday and holidays, so a short run's own mean
    /// depends on the clock. Count what a dry run at the nominal rate generates (generation is cheap and
    /// deterministic) and scale, so the run averages what the user asked for.
    /// </summary>
    private static double RateCorrection(SimulatorOptions options, TimeSpan duration)
    {
        var dryRun = new OrderSimulator(options);
        long valid = dryRun.Generate(duration).LongCount(e => e.Kind == SimulatedEventKind.Valid);
        return valid == 0 ? 1 : options.MeanOrdersPerSecond * duration.TotalSeconds / valid;
    }

    private async Task WaitForCatchUpAsync(ValidatedOrdersVerifier verifier, Published published, IngestionMetrics metrics, BatchConsumerHost consumer, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var expectedRejected = published.Malformed;
        while (Stopwatch.GetElapsedTime(started) < CatchUpTimeout && !ct.IsCancellationRequested && consumer.Fault is null)
        {
            if (published.PendingValid.IsEmpty && verifier.Rejected >= expectedRejected && consumer.Lag == 0)
            {
                return;
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>
    /// The feature store has caught up when its consumers have no lag and every validated line is accounted for. On a
    /// small machine it can trail ingestion by a minute or more: wait as long as it makes progress.
    /// </summary>
    private static async Task WaitForFeaturesAsync(ValidatedOrdersVerifier verifier, FeatureStoreMetrics features, IReadOnlyList<BatchConsumerHost> hosts, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var lastProgress = Stopwatch.GetTimestamp();
        var lastCount = -1L;
        var nextReport = TimeSpan.FromSeconds(5);
        while (!ct.IsCancellationRequested && hosts.All(h => h.Fault is null)
            && Stopwatch.GetElapsedTime(lastProgress) < CatchUpTimeout && Stopwatch.GetElapsedTime(started) < FeatureCatchUpLimit)
        {
            var accounted = features.Applied + features.Duplicates + features.LateSku;
            if (accounted >= verifier.Lines && hosts.All(h => h.Lag == 0))
            {
                // One more flush interval, so the category stream's last lines are in too.
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                if (hosts.All(h => h.Lag == 0))
                {
                    return;
                }
            }

            if (accounted != lastCount)
            {
                lastCount = accounted;
                lastProgress = Stopwatch.GetTimestamp();
            }

            if (Stopwatch.GetElapsedTime(started) >= nextReport)
            {
                nextReport += TimeSpan.FromSeconds(5);
                Log($"feature store catching up: {accounted:N0} of {verifier.Lines:N0} lines, lag {hosts.Sum(h => h.Lag):N0}");
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>
    /// Inference and alerting have caught up when their consumers have no lag; then alerting still waits group_wait
    /// before it notifies, and deliveries take a moment: wait until the count of sent notifications stops moving.
    /// </summary>
    private static async Task WaitForOutputsAsync(IReadOnlyList<BatchConsumerHost> hosts, AlertingMetrics alerting, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (!ct.IsCancellationRequested && hosts.All(h => h.Fault is null) && Stopwatch.GetElapsedTime(started) < CatchUpTimeout
            && hosts.Any(h => h.Lag > 0))
        {
            await Task.Delay(100, ct);
        }

        // group_wait of the demo's route is 2 s; deliveries retry with back-off. Quiet for 4 s means done.
        var lastSent = -1L;
        var quietSince = Stopwatch.GetTimestamp();
        while (!ct.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < CatchUpTimeout && Stopwatch.GetElapsedTime(quietSince) < TimeSpan.FromSeconds(4))
        {
            var sent = alerting.Sent + alerting.FailedAttempts + alerting.DeadLettered;
            if (sent != lastSent)
            {
                lastSent = sent;
                quietSince = Stopwatch.GetTimestamp();
            }

            await Task.Delay(200, ct);
        }
    }

    private DemoSummary AddOutputs(
        DemoSummary summary, DemoHistory.Result history, DemoOutputObserver observer, AlertingMetrics alerting, DemoNotificationReceiver? receiver, InventoryReport inventory)
    {
        var alerts = observer.Alerts;
        var scored = InjectedAnomalyMatcher.Match(_injected, alerts, _customerOfBurstOrder);
        var (p50, p99, samples) = observer.LatencyPercentiles();
        Log("alerts no label explains, by kind: " + string.Join(", ", scored.UnlabelledByKind.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}")));
        foreach (var example in scored.UnlabelledExamples)
        {
            Log($"  e.g. {example.Summary}");
        }

        foreach (var outcome in scored.Outcomes)
        {
            var a = outcome.Anomaly;
            Log($"injected {a.Kind,-15} {a.Sku ?? a.Region ?? a.CustomerId,-10} {a.Start:MM-dd HH:mm}–{a.End:HH:mm} ×{a.Magnitude}: " +
                (outcome.DetectedBy is { } by ? $"detected ({by.Kind}, {by.WindowStart:HH:mm}, score {by.Score:F2})" : "missed"));
        }

        return summary with
        {
            HistoryOrders = history.Orders,
            ModelVersion = $"v{history.Model.Version:D4}",
            ForecastsEmitted = observer.Forecasts,
            AnomaliesDetected = alerts.Count,
            StockoutAlerts = alerts.Count(a => a.Kind == AnomalyKinds.StockoutRisk),
            AlertsNotified = alerting.Sent,
            NotificationFailures = alerting.DeadLettered,
            PagerDutyEventsReceived = receiver?.Events,
            InjectedAnomalies = scored.Outcomes.Count,
            InjectedAnomaliesDetected = scored.Detected,
            InjectedDetectedByKind = scored.Outcomes.GroupBy(o => o.Anomaly.Kind).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => $"{g.Count(o => o.DetectedBy is not null)}/{g.Count()}", StringComparer.Ordinal),
            AnomalyAlertsUnlabelled = scored.UnlabelledAlerts,
            OrderToForecastMsP50 = Math.Round(p50, 1),
            OrderToForecastMsP99 = Math.Round(p99, 1),
            OrderToForecastSamples = samples,
            StockoutIncidents = inventory.Incidents.Count,
            StockoutIncidentsDetected = inventory.CountDetected(alerts, TimeSpan.FromHours(2)),
            InventoryLevelsPublished = inventory.LevelsPublished,
        };
    }

    // Late lines of both streams are counted together; the SKU stream's share is what accounts for validated lines.
    private static long LateSkuLines(FeatureStoreMetrics features) => features.LateSku;

    private DemoSummary Summarize(
        Published published, IngestionMetrics metrics, ValidatedOrdersVerifier verifier, KafkaConnection connection, BatchConsumerHost consumer,
        FeatureStoreMetrics features, long featureEntities, IReadOnlyList<BatchConsumerHost> featureHosts, OnlineReadProbe probe)
    {
        var (p50, p99) = verifier.LatencyPercentiles();
        return new DemoSummary
        {
            DurationSeconds = Math.Round(published.Seconds, 1),
            Kafka = connection.IsEmbedded ? "embedded" : connection.BootstrapServers,
            DedupStore = settings.Redis is null ? "memory" : "redis",
            OrdersPublished = published.Total,
            ValidOrdersPublished = published.Valid,
            MalformedPublished = published.Malformed,
            DuplicatesPublished = published.Duplicates,
            OrdersIngested = metrics.OrdersAccepted,
            OrderLinesValidated = verifier.Lines,
            Rejected = verifier.Rejected,
            RejectedWithoutReason = verifier.RejectedWithoutReason,
            RejectedWithUnexpectedReason = verifier.RejectedWithUnknownReason,
            Duplicates = metrics.DuplicatesDropped,
            DuplicateLinesOnValidated = verifier.DuplicateLines,
            Lost = published.PendingValid.Count,
            OrdersPerSecond = Math.Round(metrics.OrdersAccepted / Math.Max(published.Seconds, 0.001), 1),
            IngestLagMsP50 = Math.Round(p50, 1),
            IngestLagMsP99 = Math.Round(p99, 1),
            FeatureStore = settings.Redis is null ? "memory" : "redis",
            FeatureEntities = featureEntities,
            FeatureLinesApplied = features.Applied,
            FeatureLinesUnaccounted = Math.Max(0, verifier.Lines - features.Applied - features.Duplicates - features.LateSku),
            FeatureUpdates = features.Notices,
            LateEvents = features.Late,
            OnlineReadP99Ms = Math.Round(probe.P99Milliseconds, 2),
            OnlineReads = probe.Reads,
            Healthy = consumer.Fault is null && featureHosts.All(h => h.Fault is null),
        };
    }

    private void Report(DemoSummary summary)
    {
        Log("");
        Log($"published {summary.OrdersPublished:N0} records: {summary.ValidOrdersPublished:N0} valid orders, {summary.MalformedPublished:N0} malformed, {summary.DuplicatesPublished:N0} duplicates");
        Log($"ingested  {summary.OrdersIngested:N0} orders as {summary.OrderLinesValidated:N0} lines on {Topics.OrdersValidated} ({summary.OrdersPerSecond:N0} orders/s)");
        Log($"rejected  {summary.Rejected:N0} on {Topics.OrdersRejected} ({summary.RejectedWithoutReason} without a reason); duplicates dropped {summary.Duplicates:N0}");
        Log($"lost      {summary.Lost:N0}; duplicate lines on {Topics.OrdersValidated}: {summary.DuplicateLinesOnValidated:N0}; order → validated p50 {summary.IngestLagMsP50} ms, p99 {summary.IngestLagMsP99} ms");
        Log($"features  {summary.FeatureEntities:N0} entities in the {summary.FeatureStore} online store from {summary.FeatureLinesApplied:N0} lines ({summary.FeatureLinesUnaccounted:N0} unaccounted); " +
            $"{summary.FeatureUpdates:N0} notices on {Topics.FeaturesUpdated}; {summary.LateEvents:N0} late lines on {Topics.OrdersLate}; " +
            $"read of 100 entities p99 {summary.OnlineReadP99Ms} ms over {summary.OnlineReads:N0} reads");
        Log($"forecast  {summary.ForecastsEmitted:N0} forecasts on {Topics.ForecastsDemand} (model {summary.ModelVersion}, trained on {summary.HistoryOrders:N0} simulated history orders); " +
            $"order → forecast p50 {summary.OrderToForecastMsP50} ms, p99 {summary.OrderToForecastMsP99} ms over {summary.OrderToForecastSamples:N0} orders");
        Log($"alerts    {summary.AnomaliesDetected:N0} on {Topics.AlertsAnomalies} ({summary.StockoutAlerts:N0} stockout risk, {summary.AnomalyAlertsUnlabelled:N0} not explained by a label); " +
            $"stock fell below lead-time demand {summary.StockoutIncidents} times, {summary.StockoutIncidentsDetected} of them flagged; " +
            $"{summary.AlertsNotified:N0} notifications sent{(summary.PagerDutyEventsReceived is { } events ? $", {events:N0} PagerDuty events received locally" : "")}");
        Log($"injected  {summary.InjectedAnomaliesDetected} of {summary.InjectedAnomalies} anomalies detected: " +
            string.Join(", ", summary.InjectedDetectedByKind.Select(kv => $"{kv.Key} {kv.Value}")));
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Default.DemoSummary));
        }
    }

    private static void Progress(TimeSpan elapsed, long published, IngestionMetrics metrics, BatchConsumerHost consumer, ValidatedOrdersVerifier verifier, FeatureStoreMetrics features) =>
        Log($"[{elapsed.TotalSeconds,5:F0}s] published {published,9:N0} ({published / elapsed.TotalSeconds,7:N0}/s)  ingested {metrics.OrdersAccepted,9:N0}  " +
            $"rejected {metrics.OrdersRejected,6:N0}  duplicates {metrics.DuplicatesDropped,5:N0}  consumer lag {consumer.Lag,6:N0}  lines seen {verifier.Lines,10:N0}  " +
            $"feature entities {features.Entities,7:N0}  late {features.Late,5:N0}");

    private static void Log(string line) => Console.Error.WriteLine(line);
}
