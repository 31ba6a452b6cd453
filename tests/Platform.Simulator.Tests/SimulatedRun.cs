using System.Text.Json;
using Platform.Contracts;

namespace Platform.Simulator.Tests;

/// <summary>A two-week run shared by the tests of one class: 200 orders per simulated hour on average.</summary>
public sealed class SimulatedRun
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(14 * 24); // 14 simulated days at 3600x

    public SimulatedRun()
    {
        Options = new SimulatorOptions { Seed = 7, MeanOrdersPerSecond = 200, TimeCompression = 3600 };
        Simulator = new OrderSimulator(Options);
        Events = Simulator.Generate(Duration).ToList();
        Orders = Events
            .Where(e => e.Kind == SimulatedEventKind.Valid)
            .Select(e => JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!)
            .ToList();
        Placed = Orders.Where(o => o.EventType == OrderEventTypes.Placed).ToList();
    }

    public SimulatorOptions Options { get; }

    public OrderSimulator Simulator { get; }

    public List<SimulatedEvent> Events { get; }

    public List<OrderEvent> Orders { get; }

    public List<OrderEvent> Placed { get; }

    public double UnitsOf(string sku, DateTimeOffset from, DateTimeOffset to) =>
        Placed.Where(o => o.OccurredAt >= from && o.OccurredAt < to).SelectMany(o => o.Lines).Where(l => l.Sku == sku).Sum(l => (double)l.Quantity);
}
