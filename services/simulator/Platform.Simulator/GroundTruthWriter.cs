using System.Text.Json;

namespace Platform.Simulator;

/// <summary>
/// Writes the ground truth of a run as one JSON document, streaming: the options, anomaly windows and
/// promotions first, then one entry per malformed or duplicate event as they are published, then the counts.
/// Call <see cref="OrderSimulator.Generate"/> before constructing it. Format: docs/simulator.md.
/// </summary>
public sealed class GroundTruthWriter : IDisposable
{
    public const int FormatVersion = 1;

    private readonly Utf8JsonWriter _json;
    private readonly Dictionary<string, long> _malformedByReason = new(StringComparer.Ordinal);
    private long _placed;
    private long _cancelled;
    private long _duplicates;
    private long _malformed;
    private long _lastSequence = -1;
    private bool _completed;

    public GroundTruthWriter(Stream stream, OrderSimulator simulator, TimeSpan realDuration)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(simulator);
        _json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        var o = simulator.Options;

        _json.WriteStartObject();
        _json.WriteNumber("format_version", FormatVersion);
        _json.WriteString("real_duration", realDuration.ToString("c"));
        _json.WriteString("simulated_start", o.SimulatedStart);
        _json.WriteString("simulated_end", simulator.SimulatedEnd);

        _json.WriteStartObject("options");
        _json.WriteNumber("seed", o.Seed);
        _json.WriteNumber("sku_count", o.SkuCount);
        _json.WriteNumber("time_compression", o.TimeCompression);
        _json.WriteNumber("mean_orders_per_second", o.MeanOrdersPerSecond);
        _json.WriteNumber("malformed_share", o.MalformedShare);
        _json.WriteNumber("duplicate_share", o.DuplicateShare);
        _json.WriteNumber("cancellation_share", o.CancellationShare);
        _json.WriteNumber("anomalies_per_simulated_day", o.AnomaliesPerSimulatedDay);
        _json.WriteNumber("promotions_per_simulated_day", o.PromotionsPerSimulatedDay);
        _json.WriteNumber("region_count", o.RegionCount);
        _json.WriteNumber("customer_count", o.CustomerCount);
        _json.WriteNumber("guest_share", o.GuestShare);
        _json.WriteString("currency", o.Currency);
        _json.WriteString("order_id_prefix", o.OrderIdPrefix);
        if (o.WallClockStart is { } wall) _json.WriteString("wall_clock_start", wall);
        _json.WriteEndObject();

        _json.WriteStartArray("regions");
        foreach (var r in simulator.Regions) _json.WriteStringValue(r);
        _json.WriteEndArray();

        _json.WriteStartArray("anomalies");
        foreach (var a in simulator.Anomalies)
        {
            _json.WriteStartObject();
            _json.WriteString("kind", a.Kind);
            _json.WriteString("start", a.Start);
            _json.WriteString("end", a.End);
            if (a.Sku is not null) _json.WriteString("sku", a.Sku);
            if (a.Region is not null) _json.WriteString("region", a.Region);
            if (a.CustomerId is not null) _json.WriteString("customer_id", a.CustomerId);
            _json.WriteNumber("magnitude", a.Magnitude);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();

        _json.WriteStartArray("promotions");
        foreach (var p in simulator.Promotions)
        {
            _json.WriteStartObject();
            _json.WriteString("promotion_id", p.PromotionId);
            _json.WriteString("sku", p.Sku);
            _json.WriteString("start", p.Start);
            _json.WriteString("end", p.End);
            _json.WriteNumber("discount", p.Discount);
            _json.WriteNumber("uplift", p.Uplift);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteStartArray("labelled_events");
    }

    /// <summary>Counts the event; writes an entry for a malformed or duplicate one. Call for every event, in order.</summary>
    public void Add(SimulatedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        ObjectDisposedException.ThrowIf(_completed, this);
        _lastSequence = e.Sequence;
        switch (e.Kind)
        {
            case SimulatedEventKind.Valid when e.EventType == Platform.Contracts.OrderEventTypes.Cancelled:
                _cancelled++;
                return;
            case SimulatedEventKind.Valid:
                _placed++;
                return;
            case SimulatedEventKind.Duplicate:
                _duplicates++;
                break;
            case SimulatedEventKind.Malformed:
                _malformed++;
                var reason = e.ExpectedRejectionReason ?? "";
                _malformedByReason[reason] = _malformedByReason.GetValueOrDefault(reason) + 1;
                break;
        }

        _json.WriteStartObject();
        _json.WriteNumber("sequence", e.Sequence);
        _json.WriteString("kind", e.Kind == SimulatedEventKind.Duplicate ? "duplicate" : "malformed");
        if (e.OrderId is not null) _json.WriteString("order_id", e.OrderId);
        if (e.ExpectedRejectionReason is not null) _json.WriteString("expected_reason", e.ExpectedRejectionReason);
        _json.WriteNumber("real_offset_ms", Math.Round(e.RealOffset.TotalMilliseconds, 3));
        _json.WriteNumber("payload_bytes", e.Payload.Length);
        _json.WriteEndObject();
        if (_json.BytesPending > 16 * 1024) _json.Flush();
    }

    /// <summary>Writes the counts and closes the document. Idempotent; <see cref="Dispose"/> calls it.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        _json.WriteEndArray();
        _json.WriteStartObject("counts");
        _json.WriteNumber("total", _placed + _cancelled + _duplicates + _malformed);
        _json.WriteNumber("valid", _placed + _cancelled);
        _json.WriteNumber("order_placed", _placed);
        _json.WriteNumber("order_cancelled", _cancelled);
        _json.WriteNumber("duplicate", _duplicates);
        _json.WriteNumber("malformed", _malformed);
        _json.WriteStartObject("malformed_by_reason");
        foreach (var (reason, count) in _malformedByReason.OrderBy(x => x.Key, StringComparer.Ordinal)) _json.WriteNumber(reason, count);
        _json.WriteEndObject();
        _json.WriteNumber("last_sequence", _lastSequence);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
    }

    public void Dispose()
    {
        Complete();
        _json.Dispose();
    }
}
