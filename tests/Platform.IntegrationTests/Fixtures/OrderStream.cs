using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.Simulator;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>Simulated orders for a test, with what ingestion must make of them.</summary>
public sealed class OrderStream
{
    private OrderStream(List<SimulatedEvent> events) => Events = events;

    public List<SimulatedEvent> Events { get; }

    /// <summary>Expected order keys ("{event_type}:{order_id}") of the valid events, with their line counts.</summary>
    public Dictionary<string, int> ExpectedOrders { get; } = [];

    public int ExpectedLines => ExpectedOrders.Values.Sum();

    public int Malformed => Events.Count(e => e.Kind == SimulatedEventKind.Malformed);

    /// <summary>
    /// About <paramref name="orders"/> valid orders over <paramref name="seconds"/> of simulated stream. The count is
    /// steered (a dry run, then a scaled rate) because the simulator's volume follows the time of day, and the mock
    /// broker keeps only about 5 MB a partition.
    /// </summary>
    public static OrderStream Generate(int seed, int orders = 1500, double seconds = 2, double malformedShare = 0.02, double duplicateShare = 0.02)
    {
        var options = new SimulatorOptions
        {
            Seed = seed,
            MeanOrdersPerSecond = orders / seconds,
            TimeCompression = 3600,
            MalformedShare = malformedShare,
            DuplicateShare = duplicateShare,
            SimulatedStart = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(seconds * 3600),
            OrderIdPrefix = $"T{seed}",
            MedianLinesPerOrder = 3,
        };
        var dryRun = new OrderSimulator(options).Generate(TimeSpan.FromSeconds(seconds)).Count(e => e.Kind == SimulatedEventKind.Valid);
        options.MeanOrdersPerSecond *= orders / (double)Math.Max(1, dryRun);
        var stream = new OrderStream(new OrderSimulator(options).Generate(TimeSpan.FromSeconds(seconds)).ToList());
        foreach (var e in stream.Events.Where(e => e.Kind == SimulatedEventKind.Valid))
        {
            var order = JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!;
            stream.ExpectedOrders[$"{order.EventType}:{order.OrderId}"] = order.Lines.Count;
        }

        return stream;
    }

    public void Publish(IProducer<byte[]?, byte[]?> producer, IEnumerable<SimulatedEvent>? events = null)
    {
        foreach (var e in events ?? Events)
        {
            producer.Produce(Topics.OrdersRaw, new Message<byte[]?, byte[]?> { Key = e.Key is null ? null : Encoding.UTF8.GetBytes(e.Key), Value = e.Payload });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    public static string KeyOf(OrderLineValidated line) =>
        $"{(line.Kind == OrderLineKinds.Cancellation ? OrderEventTypes.Cancelled : OrderEventTypes.Placed)}:{line.OrderId}";
}
