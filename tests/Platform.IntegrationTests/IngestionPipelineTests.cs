using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Contracts;
using Platform.IntegrationTests.Fixtures;
using Platform.Simulator;
using Platform.Testing;

namespace Platform.IntegrationTests;

/// <summary>The ingestion service against a Kafka-protocol broker and a real Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class IngestionPipelineTests(RedisFixture redis)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ingestion_KilledAfterOutputsBeforeCommit_RestartLosesNothingAndDuplicatesNothing()
    {
        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        var orders = OrderStream.Generate(seed: 11);
        using (var producer = kafka.CreateProducer())
        {
            orders.Publish(producer);
        }

        // First instance dies on its third batch, after that batch's lines are on Kafka and remembered, before the commit.
        var first = await IngestionApp.StartAsync(kafka, redis.Configuration, group: "ing-crash",
            wrapDedup: inner => new CrashingDedupStore(inner, call => call == 3), maxAttempts: 1, maxBatchSize: 50);
        await WaitUntil(() => first.Consumer.Fault is not null, "the first instance to crash");
        Assert.IsType<SimulatedCrashException>(first.Consumer.Fault);

        // The host records the fault, then asks the application to stop: wait for the second step instead of racing it.
        var stopping = first.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await WaitUntil(() => stopping.IsCancellationRequested, "a fatal consumer to stop the application so the orchestrator restarts it");
        await first.DisposeAsync();

        await using var second = await IngestionApp.StartAsync(kafka, redis.Configuration, group: "ing-crash");
        using var reader = new TopicReader(kafka, Topics.OrdersValidated);
        var records = reader.ReadUntil(r => r.Count >= orders.ExpectedLines, Timeout);
        records = reader.ReadFor(TimeSpan.FromSeconds(2));

        var lines = records.Select(TopicReader.Line).ToList();
        Assert.Equal(orders.ExpectedOrders.Keys.Order(), lines.Select(OrderStream.KeyOf).Distinct().Order());
        Assert.Equal(orders.ExpectedLines, lines.Count);
        Assert.Equal(lines.Count, lines.Select(l => l.LineId).Distinct().Count());
    }

    [Fact]
    public async Task Ingestion_BadInput_GoesToRejectedWithReasonAndPositionWhileThePartitionKeepsFlowing()
    {
        await using var kafka = await TestKafka.StartAsync();
        await kafka.CreateTopicAsync(Topics.OrdersRaw, 1); // one partition: bad records sit between good ones
        await kafka.CreateTopicAsync(Topics.OrdersValidated, 3);
        await kafka.CreateTopicAsync(Topics.OrdersRejected, 1);
        var orders = OrderStream.Generate(seed: 12, orders: 1000, malformedShare: 0.2, duplicateShare: 0);
        Assert.True(orders.Malformed > 20);
        using (var producer = kafka.CreateProducer())
        {
            orders.Publish(producer);
        }

        await using var app = await IngestionApp.StartAsync(kafka, null, group: "ing-bad");
        using var reader = new TopicReader(kafka, Topics.OrdersValidated, Topics.OrdersRejected);
        var records = reader.ReadUntil(
            r => r.Count(x => x.Topic == Topics.OrdersValidated) >= orders.ExpectedLines && r.Count(x => x.Topic == Topics.OrdersRejected) >= orders.Malformed,
            Timeout);

        var lines = records.Where(r => r.Topic == Topics.OrdersValidated).Select(TopicReader.Line).ToList();
        Assert.Equal(orders.ExpectedOrders.Count, lines.Select(OrderStream.KeyOf).Distinct().Count());

        var rejected = records.Where(r => r.Topic == Topics.OrdersRejected).ToList();
        Assert.Equal(orders.Malformed, rejected.Count);
        var expectedReasons = orders.Events.Where(e => e.Kind == SimulatedEventKind.Malformed).Select(e => e.ExpectedRejectionReason!).Order().ToList();
        Assert.Equal(expectedReasons, rejected.Select(r => TopicReader.Rejected(r).Reason).Order().ToList());
        foreach (var record in rejected)
        {
            var body = TopicReader.Rejected(record);
            Assert.Equal(body.Reason, Header(record, DeadLetterHeaders.Reason));
            Assert.Equal(Topics.OrdersRaw, Header(record, DeadLetterHeaders.SourceTopic));
            Assert.Equal(body.SourceOffset.ToString(), Header(record, DeadLetterHeaders.SourceOffset));
            Assert.Contains(body.Reason, RejectionReasons.All);
        }
    }

    [Fact]
    public async Task Ingestion_TwoConsumersAndRebalances_NothingLostNothingDuplicated()
    {
        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        var orders = OrderStream.Generate(seed: 13, orders: 3000, seconds: 4);
        using var producer = kafka.CreateProducer();
        var thirds = orders.Events.Chunk((orders.Events.Count / 3) + 1).ToList();

        var first = await IngestionApp.StartAsync(kafka, redis.Configuration, group: "ing-rebalance", maxBatchSize: 50);
        orders.Publish(producer, thirds[0]);
        await WaitUntil(() => first.Consumer.RecordsProcessed > 0, "the first instance to process records");

        // A second instance joins: the group rebalances while records flow.
        await using var second = await IngestionApp.StartAsync(kafka, redis.Configuration, group: "ing-rebalance", maxBatchSize: 50);
        orders.Publish(producer, thirds[1]);
        await WaitUntil(() => second.Consumer.AssignedPartitions > 0, "the second instance to get partitions");

        // The first leaves: its partitions move again.
        await first.StopAsync();
        await first.DisposeAsync();
        orders.Publish(producer, thirds[2]);

        using var reader = new TopicReader(kafka, Topics.OrdersValidated);
        var records = reader.ReadUntil(r => r.Count >= orders.ExpectedLines, Timeout);
        records = reader.ReadFor(TimeSpan.FromSeconds(2));
        var lines = records.Select(TopicReader.Line).ToList();
        Assert.Equal(orders.ExpectedOrders.Keys.Order(), lines.Select(OrderStream.KeyOf).Distinct().Order());
        Assert.Equal(orders.ExpectedLines, lines.Count);
    }

    [Fact]
    public async Task Ingestion_GracefulShutdown_DrainsAndCommitsExactlyWhatItEmitted()
    {
        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        var orders = OrderStream.Generate(seed: 14, orders: 2000, duplicateShare: 0);
        using (var producer = kafka.CreateProducer())
        {
            orders.Publish(producer);
        }

        // In-memory dedup on purpose: the second instance knows nothing of the first, so any record the first
        // emitted but did not commit would show up twice, and any it committed without emitting would be missing.
        var first = await IngestionApp.StartAsync(kafka, null, group: "ing-drain", maxBatchSize: 20);
        await WaitUntil(() => first.Consumer.RecordsProcessed > 100, "the first instance to be mid-stream");
        await first.StopAsync();
        var processedByFirst = first.Consumer.RecordsProcessed;
        await first.DisposeAsync();
        Assert.True(processedByFirst < orders.Events.Count, "the stop should land mid-stream");

        await using var second = await IngestionApp.StartAsync(kafka, null, group: "ing-drain");
        using var reader = new TopicReader(kafka, Topics.OrdersValidated);
        var records = reader.ReadUntil(r => r.Count >= orders.ExpectedLines, Timeout);
        records = reader.ReadFor(TimeSpan.FromSeconds(2));
        var lines = records.Select(TopicReader.Line).ToList();
        Assert.Equal(orders.ExpectedLines, lines.Count);
        Assert.Equal(lines.Count, lines.Select(l => l.LineId).Distinct().Count());
    }

    [Fact]
    public async Task Ingestion_BatchFailingEveryAttempt_IsFatalStopsTheAppAndFailsReadiness()
    {
        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        var orders = OrderStream.Generate(seed: 15, orders: 200);
        using (var producer = kafka.CreateProducer())
        {
            orders.Publish(producer);
        }

        await using var app = await IngestionApp.StartAsync(kafka, null, group: "ing-fatal",
            wrapDedup: inner => new CrashingDedupStore(inner, _ => true), maxAttempts: 2);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        await WaitUntil(() => app.Consumer.Fault is not null, "the consumer to give up");
        var stopping = app.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await WaitUntil(() => stopping.IsCancellationRequested, "the fatal consumer to stop the application");
    }

    [Fact]
    public async Task Ingestion_StopWhileABatchKeepsFailing_LeavesItUncommittedForTheNextOwner()
    {
        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        var orders = OrderStream.Generate(seed: 16, orders: 200, duplicateShare: 0);
        using (var producer = kafka.CreateProducer())
        {
            orders.Publish(producer);
        }

        var failing = 0;
        var first = await IngestionApp.StartAsync(kafka, redis.Configuration, group: "ing-stop-failing",
            wrapDedup: _ => new UnavailableDedupStore(() => Interlocked.Increment(ref failing)), maxAttempts: 1000);
        await WaitUntil(() => Volatile.Read(ref failing) >= 2, "the batch to fail and be retried");
        await first.StopAsync();
        Assert.Null(first.Consumer.Fault);
        Assert.Equal(0, first.Consumer.RecordsProcessed);
        await first.DisposeAsync();

        await using var second = await IngestionApp.StartAsync(kafka, redis.Configuration, group: "ing-stop-failing");
        using var reader = new TopicReader(kafka, Topics.OrdersValidated);
        reader.ReadUntil(r => r.Count >= orders.ExpectedLines, Timeout);
        var lines = reader.ReadFor(TimeSpan.FromSeconds(2)).Select(TopicReader.Line).ToList();
        Assert.Equal(orders.ExpectedOrders.Keys.Order(), lines.Select(OrderStream.KeyOf).Distinct().Order());
        Assert.Equal(orders.ExpectedLines, lines.Count);
    }

    [Fact]
    public async Task Ingestion_HttpPostOrders_AcceptsValidQueuesThemAndRejectsInvalidWithReasons()
    {
        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        await using var app = await IngestionApp.StartAsync(kafka, null, group: "ing-http");
        using var client = new HttpClient { BaseAddress = app.BaseAddress };

        var now = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var good = $$"""{"schema_version":1,"event_type":"order_placed","order_id":"H-1","customer_id":"C1","occurred_at":"{{now}}","currency":"EUR","lines":[{"sku":"A1","quantity":2,"unit_price":3.5},{"sku":"B2","quantity":1,"unit_price":10}]}""";
        var bad = $$"""{"schema_version":1,"event_type":"order_placed","order_id":"H-2","occurred_at":"{{now}}","currency":"EUR","lines":[{"sku":"A1","quantity":0,"unit_price":3.5}]}""";

        var single = await client.PostAsync("/orders", new StringContent(good, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);

        var batch = await client.PostAsync("/orders", new StringContent($"[{bad},{good.Replace("H-1", "H-3")}]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        var body = await batch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        var first = body.GetProperty("results")[0];
        Assert.Equal("rejected", first.GetProperty("status").GetString());
        Assert.Equal(RejectionReasons.QuantityNotPositive, first.GetProperty("reason").GetString());
        Assert.Equal("$.lines[0].quantity", first.GetProperty("field").GetString());

        var allBad = await client.PostAsync("/orders", new StringContent(bad, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, allBad.StatusCode);
        var garbage = await client.PostAsync("/orders", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);

        using var reader = new TopicReader(kafka, Topics.OrdersValidated, Topics.OrdersRejected);
        var records = reader.ReadUntil(r => r.Count(x => x.Topic == Topics.OrdersValidated) >= 4 && r.Count(x => x.Topic == Topics.OrdersRejected) >= 3, Timeout);
        var lines = records.Where(r => r.Topic == Topics.OrdersValidated).Select(TopicReader.Line).ToList();
        Assert.Equal(["H-1", "H-3"], lines.Select(l => l.OrderId).Distinct().Order());
        Assert.All(lines, l => Assert.NotEqual("C1", l.CustomerHash));
        var rejected = records.Where(r => r.Topic == Topics.OrdersRejected).Select(TopicReader.Rejected).ToList();
        Assert.All(rejected, r => Assert.Equal("http", r.Source));
        Assert.Contains(rejected, r => r.Reason == RejectionReasons.QuantityNotPositive && r.OrderId == "H-2");
    }

    private static string? Header(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }
}
