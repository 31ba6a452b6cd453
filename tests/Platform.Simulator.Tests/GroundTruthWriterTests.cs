using System.Text.Json;
using Platform.Contracts;

namespace Platform.Simulator.Tests;

public sealed class GroundTruthWriterTests
{
    [Fact]
    public void GroundTruth_ListsAnomaliesLabelledEventsAndCounts()
    {
        var simulator = new OrderSimulator(new SimulatorOptions { Seed = 11, MeanOrdersPerSecond = 100, MalformedShare = 0.05 });
        var duration = TimeSpan.FromSeconds(72);
        var events = simulator.Generate(duration);
        using var stream = new MemoryStream();
        var observed = new List<SimulatedEvent>();
        using (var writer = new GroundTruthWriter(stream, simulator, duration))
        {
            foreach (var e in events)
            {
                observed.Add(e);
                writer.Add(e);
            }
        }

        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("format_version").GetInt32());
        Assert.Equal(11, root.GetProperty("options").GetProperty("seed").GetInt32());
        Assert.Equal(simulator.Anomalies.Count, root.GetProperty("anomalies").GetArrayLength());
        Assert.Equal(simulator.Promotions.Count, root.GetProperty("promotions").GetArrayLength());
        Assert.True(simulator.Anomalies.Count > 0);
        var firstAnomaly = root.GetProperty("anomalies")[0];
        Assert.Equal(simulator.Anomalies[0].Kind, firstAnomaly.GetProperty("kind").GetString());
        Assert.Equal(simulator.Anomalies[0].Start, firstAnomaly.GetProperty("start").GetDateTimeOffset());

        var counts = root.GetProperty("counts");
        Assert.Equal(observed.Count, counts.GetProperty("total").GetInt64());
        Assert.Equal(observed.Count(e => e.Kind == SimulatedEventKind.Malformed), counts.GetProperty("malformed").GetInt64());
        Assert.Equal(observed.Count(e => e.Kind == SimulatedEventKind.Duplicate), counts.GetProperty("duplicate").GetInt64());
        Assert.Equal(observed.Count(e => e.Kind == SimulatedEventKind.Valid && e.EventType == OrderEventTypes.Cancelled), counts.GetProperty("order_cancelled").GetInt64());

        var labelled = root.GetProperty("labelled_events").EnumerateArray().ToList();
        var malformed = observed.Where(e => e.Kind == SimulatedEventKind.Malformed).ToList();
        Assert.Equal(malformed.Count + counts.GetProperty("duplicate").GetInt64(), labelled.Count);
        var malformedEntries = labelled.Where(x => x.GetProperty("kind").GetString() == "malformed").ToList();
        Assert.Equal(malformed.Select(e => (e.Sequence, e.OrderId, e.ExpectedRejectionReason)),
            malformedEntries.Select(x => (x.GetProperty("sequence").GetInt64(), x.GetProperty("order_id").GetString(), x.GetProperty("expected_reason").GetString())));
        var byReason = counts.GetProperty("malformed_by_reason").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(malformed.Count, byReason.Values.Sum());
    }
}
