using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Alerting.Configuration;
using Platform.Contracts;
using Platform.IntegrationTests.Fixtures;
using Platform.Simulator;
using Platform.Testing;

namespace Platform.IntegrationTests;

/// <summary>
/// The whole pipeline, each service real: simulated orders → ingestion → feature store → inference → alerting → an
/// HTTP receiver standing for PagerDuty. Inference runs as its own process and is SIGKILLed while orders flow, then
/// started again: every injected anomaly still reaches the receiver, each alert is on alerts.anomalies exactly once, and
/// the restarted instance has consumed everything.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class EndToEndPipelineTests(RedisFixture redis)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EndToEnd_InferenceKilledMidStream_EveryInjectedAnomalyReachesPagerDuty_EachAlertOnce()
    {
        using var model = new SmallDemandModel();
        await using var kafka = await TestKafka.StartAsync();
        foreach (var topic in Topics.All)
        {
            await kafka.CreateTopicAsync(topic, 3);
        }

        await AlertingApp.CreateTopicsAsync(kafka);
        await using var pagerDuty = await PagerDutyReceiver.StartAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        await using var ingestion = await IngestionApp.StartAsync(kafka, redis.Configuration, group: $"ingestion-{run}");
        await using var featureStore = await FeatureStoreApp.StartAsync(kafka, redis.Configuration, $"feature-store-{run}");
        await using var alerting = await AlertingApp.StartAsync(kafka, $"alerting-{run}",
            AlertingConfigTemplates.PagerDutyWebhook(pagerDuty.Url, groupWait: TimeSpan.FromMilliseconds(500), groupInterval: TimeSpan.FromSeconds(1)));
        var inferenceGroup = $"inference-{run}";
        var inference = ServiceProcess.StartInference(kafka.BootstrapServers, redis.Configuration, model.Root, inferenceGroup);
        using var producer = kafka.CreateProducer();
        try
        {
            await inference.WaitForAssignmentAsync(Patience, "inference");
            var stream = new SimulatedStream(run);

            // Normal traffic teaches order risk each SKU's price (it judges a SKU after 20 lines), then a ×100 price.
            await PublishAsync(producer, stream.Next(150));
            var injected = new List<(string OrderId, string Sku)> { await InjectPriceErrorAsync(producer, stream, rank: 0) };
            await WaitForPagerDutyAsync(pagerDuty, injected[0].OrderId);

            // SIGKILL while orders flow: no drain, no commit, no flush.
            await PublishAsync(producer, stream.Next(60));
            inference.Kill();
            await PublishAsync(producer, stream.Next(60));
            inference.Dispose();
            inference = ServiceProcess.StartInference(kafka.BootstrapServers, redis.Configuration, model.Root, inferenceGroup);
            await inference.WaitForAssignmentAsync(Patience, "inference");

            // The new instance learns prices again from the traffic (order risk keeps its baselines in memory).
            await PublishAsync(producer, stream.Next(150));
            injected.Add(await InjectPriceErrorAsync(producer, stream, rank: 1));
            injected.Add(await InjectPriceErrorAsync(producer, stream, rank: 2));

            // Every injected order has its one alert; no alert was produced twice, killed instance or not.
            using var alerts = new TopicReader(kafka, Topics.AlertsAnomalies);
            var seen = alerts.ReadUntil(r => injected.All(i => r.Select(AlertOf).Any(a => a.AlertId.Contains(i.OrderId, StringComparison.Ordinal))), Patience);
            Assert.True(injected.All(i => seen.Select(AlertOf).Any(a => a.AlertId.Contains(i.OrderId, StringComparison.Ordinal))),
                $"alerts: {string.Join(", ", seen.Select(AlertOf).Select(a => a.AlertId))}; inference exited: {inference.HasExited}; log: {string.Join(Environment.NewLine, inference.Log.TakeLast(30))}");
            await WaitForPagerDutyAsync(pagerDuty, injected[1].OrderId);
            await WaitForPagerDutyAsync(pagerDuty, injected[2].OrderId);
            var all = alerts.ReadFor(TimeSpan.FromSeconds(2)).Select(AlertOf).ToList();
            Assert.All(injected, i => Assert.Single(all, a => a.Kind == AnomalyKinds.OrderRisk && a.AlertId == $"order_risk:{i.OrderId}:unit_price:{i.Sku}"));
            Assert.Empty(all.GroupBy(a => a.AlertId).Where(g => g.Count() > 1).Select(g => g.Key));

            // The PagerDuty events are Events API v2 triggers for those SKUs.
            var triggers = pagerDuty.Events.Where(e => e.GetProperty("event_action").GetString() == "trigger").ToList();
            foreach (var (orderId, sku) in injected)
            {
                // A group is notified again when an alert joins it, so an alert's trigger may come more than once: always
                // with the same dedup_key, which is how PagerDuty folds the repeats into one incident.
                var forAlert = triggers.Where(e => AlertIdOf(e).Contains(orderId, StringComparison.Ordinal)).ToList();
                Assert.NotEmpty(forAlert);
                Assert.Single(forAlert.Select(e => e.GetProperty("dedup_key").GetString()).Distinct());
                var trigger = forAlert[0];
                Assert.Equal(sku, trigger.GetProperty("payload").GetProperty("custom_details").GetProperty("sku").GetString());
                Assert.Equal("order_risk", trigger.GetProperty("payload").GetProperty("class").GetString());
                Assert.False(string.IsNullOrEmpty(trigger.GetProperty("dedup_key").GetString()));
                Assert.False(string.IsNullOrEmpty(trigger.GetProperty("routing_key").GetString()));
                Assert.Contains(trigger.GetProperty("payload").GetProperty("severity").GetString(), new[] { "critical", "error", "warning", "info" });
                Assert.False(string.IsNullOrEmpty(trigger.GetProperty("payload").GetProperty("source").GetString()));
            }

            // Nothing left behind: the restarted instance committed all of orders.validated and features.updated.
            await WaitForNoLagAsync(kafka, inferenceGroup, [Topics.OrdersValidated, Topics.FeaturesUpdated]);
        }
        finally
        {
            inference.Dispose();
        }
    }

    private static async Task<(string OrderId, string Sku)> InjectPriceErrorAsync(IProducer<byte[]?, byte[]?> producer, SimulatedStream stream, int rank)
    {
        // The rank-th most popular SKU sold at its regular price: while a SKU is on promotion the scorer has no regular
        // price to judge against (promotion prices are not learnt), so a price error there is another case.
        var item = stream.Catalog.ByRank.Where(i => !stream.Promoted.Contains(i.Sku)).ElementAt(rank);
        var orderId = $"PRICE-{stream.Run}-{rank}";
        var order = new OrderEvent
        {
            OrderId = orderId,
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            Currency = "EUR",
            Region = "eu-west",
            Channel = "web",
            Lines = [new OrderLine { Sku = item.Sku, Quantity = 1, UnitPrice = item.BasePrice * 100 }],
        };
        await producer.ProduceAsync(Topics.OrdersRaw, new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(orderId),
            Value = JsonSerializer.SerializeToUtf8Bytes(order, ContractsJsonContext.Default.OrderEvent),
        });
        return (orderId, item.Sku);
    }

    private static async Task PublishAsync(IProducer<byte[]?, byte[]?> producer, IEnumerable<SimulatedEvent> events)
    {
        foreach (var e in events)
        {
            producer.Produce(Topics.OrdersRaw, new Message<byte[]?, byte[]?> { Key = e.Key is null ? null : Encoding.UTF8.GetBytes(e.Key), Value = e.Payload });
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }

    private static string AlertIdOf(System.Text.Json.JsonElement e) =>
        e.TryGetProperty("payload", out var payload) && payload.TryGetProperty("custom_details", out var details) && details.TryGetProperty("alert_id", out var id)
            ? id.GetString() ?? ""
            : "";

    private static async Task WaitForPagerDutyAsync(PagerDutyReceiver receiver, string orderId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!receiver.Events.Any(e => e.GetProperty("event_action").GetString() == "trigger" && AlertIdOf(e).Contains(orderId, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no PagerDuty trigger for order {orderId} in {Patience.TotalSeconds} s; received: {string.Join(" | ", receiver.Events.Take(3))}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task WaitForNoLagAsync(TestKafka kafka, string group, string[] topics)
    {
        using var probe = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = group })
            .SetLogHandler((_, _) => { }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Where(t => topics.Contains(t.Topic))
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId))).ToList();
        var deadline = DateTime.UtcNow + Patience;
        var behind = new List<string>();
        do
        {
            behind.Clear();
            var committed = probe.Committed(partitions, TimeSpan.FromSeconds(10));
            foreach (var c in committed)
            {
                var end = probe.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High;
                if (c.Offset.Value < end.Value)
                {
                    behind.Add($"{c.TopicPartition}: committed {c.Offset.Value}, end {end.Value}");
                }
            }

            if (behind.Count == 0)
            {
                return;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"inference left records unconsumed: {string.Join("; ", behind)}");
    }

    private static AnomalyAlert AlertOf(ConsumeResult<byte[]?, byte[]?> record) =>
        JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.AnomalyAlert)!;

    /// <summary>Valid simulated orders of the last hour (ingestion accepts them), handed out in order, a batch at a time.</summary>
    private sealed class SimulatedStream
    {
        private readonly IEnumerator<SimulatedEvent> _events;

        public SimulatedStream(string run)
        {
            Run = run;
            var simulator = new OrderSimulator(new SimulatorOptions
            {
                Seed = 5, SkuCount = 12, MeanOrdersPerSecond = 200, TimeCompression = 60, AnomaliesPerSimulatedDay = 0,
                MalformedShare = 0, DuplicateShare = 0, MedianLinesPerOrder = 4,
                SimulatedStart = DateTimeOffset.UtcNow.AddMinutes(-50), OrderIdPrefix = $"E2E{run}",
            });
            Catalog = simulator.Catalog;
            _events = simulator.Generate(TimeSpan.FromSeconds(40)).Where(e => e.Kind == SimulatedEventKind.Valid).GetEnumerator();
        }

        public string Run { get; }

        public Catalog Catalog { get; }

        /// <summary>SKUs that had a line on promotion in the orders handed out so far.</summary>
        public HashSet<string> Promoted { get; } = new(StringComparer.Ordinal);

        public List<SimulatedEvent> Next(int count)
        {
            var batch = new List<SimulatedEvent>(count);
            while (batch.Count < count && _events.MoveNext())
            {
                batch.Add(_events.Current);
                foreach (var line in _events.Current.Order!.Lines.Where(l => l.PromotionId is not null))
                {
                    Promoted.Add(line.Sku);
                }
            }

            Assert.Equal(count, batch.Count);
            return batch;
        }
    }
}
