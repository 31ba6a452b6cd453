using Platform.Contracts;
using Platform.IntegrationTests.Fixtures;
using Platform.Simulator;
using Platform.Testing;
using Xunit.Abstractions;

namespace Platform.IntegrationTests;

/// <summary>
/// The ingestion service as a separate process, SIGKILLed at arbitrary moments while orders stream in, then restarted:
/// orders.validated must end up with every line of every valid order exactly once.
/// </summary>
[Collection("redis")]
public sealed class IngestionKillTests(RedisFixture redis, ITestOutputHelper output)
{
    [Fact]
    public async Task Ingestion_ProcessKilledWithSigkillMidStream_RestartsLoseNothingAndDuplicateNothing()
    {
        await using var kafka = await TestKafka.StartAsync();
        await IngestionApp.CreateTopicsAsync(kafka);
        // Slow acknowledgements, as over a congested network: lines sit in the log, unacknowledged and uncommitted,
        // for most of each batch, so the random kills below often land in the window this test is about.
        if (kafka.Mock is { } mock)
        {
            for (var broker = 1; broker <= mock.BrokerCount; broker++)
            {
                mock.SetBrokerRoundTrip(broker, TimeSpan.FromMilliseconds(150));
            }
        }
        var stream = OrderStream.Generate(seed: 4242, orders: 8000, seconds: 4);
        var group = $"kill-{Guid.NewGuid():N}";
        using var producer = kafka.CreateProducer();

        // A downstream reader running all along; it also shows when an instance has started producing lines.
        using var reader = new TopicReader(kafka, Topics.OrdersValidated);
        using var stopReading = new CancellationTokenSource();
        var reading = Task.Run(() => reader.ReadUntil(_ => stopReading.IsCancellationRequested, TimeSpan.FromMinutes(10)));

        // Each instance starts with a backlog of orders (several batches) and is SIGKILLed at a random moment once its
        // first lines appear, so it dies while batches are being produced, acknowledged and committed back to back.
        // Kills go on until at least three happened and one of them demonstrably hit the window between lines reaching
        // Kafka and the input offsets being committed (the next instance's recovery found lines already there).
        var bursts = new Queue<SimulatedEvent[]>(stream.Events.Chunk(stream.Events.Count / 16 + 1));
        var random = new Random(7);
        var recovered = 0;
        var kills = 0;
        ServiceProcess survivor;
        while (true)
        {
            if (bursts.TryDequeue(out var burst))
            {
                stream.Publish(producer, burst);
            }

            var instance = ServiceProcess.StartIngestion(kafka.BootstrapServers, redis.Configuration, group, maxBatchSize: 100);
            await instance.WaitForAssignmentAsync(TimeSpan.FromSeconds(60));
            recovered += await instance.RecoveredOutputsAsync(TimeSpan.FromSeconds(30));
            if ((kills >= 3 && recovered > 0) || bursts.Count == 0)
            {
                survivor = instance;
                break;
            }

            var before = reader.Count;
            var producingBy = DateTime.UtcNow.AddSeconds(20);
            while (reader.Count == before && DateTime.UtcNow < producingBy)
            {
                await Task.Delay(5);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 150)));
            Assert.False(instance.HasExited, string.Join(Environment.NewLine, instance.Log));
            instance.Kill();
            instance.Dispose();
            kills++;
        }

        using var _ = survivor;
        while (bursts.TryDequeue(out var rest))
        {
            stream.Publish(producer, rest);
        }

        // Done when the survivor has committed every raw record: it commits only after its outputs are acknowledged, so
        // everything it will ever write (duplicates included) is on orders.validated by then. Read to that topic's end.
        var validatedEnd = await WaitForCommittedThenGetEndAsync(kafka, group, TimeSpan.FromSeconds(120));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (reader.Count < validatedEnd && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await stopReading.CancelAsync();
        var records = await reading;
        output.WriteLine($"{kills} kills; lines expected {stream.ExpectedLines}, read {records.Count}; outputs recognised as already produced after kills: {recovered}");

        var lines = records.Select(TopicReader.Line).ToList();
        var duplicated = lines.GroupBy(l => l.LineId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicated.Count == 0, $"{duplicated.Count} line ids on orders.validated more than once, e.g. {string.Join(", ", duplicated.Take(5))}");
        var linesPerOrder = lines.GroupBy(OrderStream.KeyOf).ToDictionary(g => g.Key, g => g.Count());
        var missing = stream.ExpectedOrders.Where(o => linesPerOrder.GetValueOrDefault(o.Key) != o.Value).Select(o => o.Key).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} orders incomplete or missing, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(stream.ExpectedLines, lines.Count);
        // The kills must have hit the window the recovery exists for, or this test proved nothing about it.
        Assert.True(recovered > 0, "no kill left outputs of uncommitted input behind; the crash window was not exercised");
    }

    /// <summary>Waits until <paramref name="group"/> has committed the end of every orders.raw partition; returns the record count of orders.validated then.</summary>
    private static async Task<long> WaitForCommittedThenGetEndAsync(TestKafka kafka, string group, TimeSpan timeout)
    {
        using var probe = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(new Confluent.Kafka.ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = group,
        }).SetLogHandler((_, _) => { }).Build();
        var raw = Enumerable.Range(0, 4).Select(p => new Confluent.Kafka.TopicPartition(Topics.OrdersRaw, p)).ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var committed = probe.Committed(raw, TimeSpan.FromSeconds(10));
            if (committed.All(c => c.Offset.Value >= probe.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value))
            {
                return Enumerable.Range(0, 6).Sum(p =>
                    probe.QueryWatermarkOffsets(new Confluent.Kafka.TopicPartition(Topics.OrdersValidated, p), TimeSpan.FromSeconds(10)).High.Value);
            }

            Assert.True(DateTime.UtcNow < deadline, $"ingestion did not commit all of orders.raw: {string.Join(", ", committed)}");
            await Task.Delay(200);
        }
    }
}
