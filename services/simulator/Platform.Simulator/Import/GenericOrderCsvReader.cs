using System.Globalization;
using Platform.Contracts;

namespace Platform.Simulator.Import;

/// <summary>
/// Reads the generic order CSV format, streaming: one row per order line, rows of one order consecutive.
/// Header (columns found by name, any order):
/// <c>order_id,event_type,occurred_at,customer_id,currency,region,channel,sku,quantity,unit_price</c>,
/// optionally <c>promotion_id</c> and <c>cancels_order_id</c>. See docs/simulator.md.
/// </summary>
/// <remarks>
/// occurred_at is ISO 8601; without an offset it is taken as UTC. Empty customer_id, region, channel, promotion_id
/// and cancels_order_id mean absent; an empty event_type means order_placed. Order-level columns are taken from the
/// first row of an order. Values are passed through as they are (the validator judges them); rows whose quantity,
/// unit_price or occurred_at do not parse are skipped and reported in <see cref="Issues"/>.
/// </remarks>
public sealed class GenericOrderCsvReader : CsvOrderReader
{
    public static readonly IReadOnlyList<string> RequiredColumns =
        ["order_id", "event_type", "occurred_at", "customer_id", "currency", "region", "channel", "sku", "quantity", "unit_price"];

    public static readonly IReadOnlyList<string> OptionalColumns = ["promotion_id", "cancels_order_id"];


    public override IEnumerable<OrderEvent> Read(TextReader reader, string source = "")
    {
        var csv = new CsvRecordReader(reader);
        var f = new List<string>(12);
        if (!csv.TryRead(f)) yield break;
        var header = f.Select((name, i) => (name: name.Trim().ToLowerInvariant(), i)).ToDictionary(x => x.name, x => x.i);
        var missing = RequiredColumns.Where(c => !header.ContainsKey(c)).ToArray();
        if (missing.Length > 0) throw new InvalidDataException($"{source}: the header lacks {string.Join(", ", missing)}.");
        int Col(string name) => header.TryGetValue(name, out var i) ? i : -1;
        int orderId = Col("order_id"), eventType = Col("event_type"), occurredAt = Col("occurred_at"), customer = Col("customer_id"),
            currency = Col("currency"), region = Col("region"), channel = Col("channel"), sku = Col("sku"), quantity = Col("quantity"),
            unitPrice = Col("unit_price"), promotion = Col("promotion_id"), cancels = Col("cancels_order_id");
        var width = RequiredColumns.Max(c => header[c]) + 1;
        string? Get(int i) => i >= 0 && i < f.Count && f[i].Trim() is { Length: > 0 } v ? v : null;

        OrderEvent? current = null;
        List<OrderLine> lines = [];
        while (csv.TryRead(f))
        {
            if (f.Count < width)
            {
                Report(source, csv.LineNumber, $"expected {width} fields, found {f.Count}");
                continue;
            }

            if (!int.TryParse(Get(quantity), NumberStyles.Integer, CultureInfo.InvariantCulture, out var q))
            {
                Report(source, csv.LineNumber, $"quantity '{Get(quantity)}' is not an integer");
                continue;
            }

            if (!decimal.TryParse(Get(unitPrice), NumberStyles.Float, CultureInfo.InvariantCulture, out var price))
            {
                Report(source, csv.LineNumber, $"unit_price '{Get(unitPrice)}' is not a number");
                continue;
            }

            var id = Get(orderId) ?? "";
            if (current is null || current.OrderId != id)
            {
                if (!DateTimeOffset.TryParse(Get(occurredAt), CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                {
                    Report(source, csv.LineNumber, $"occurred_at '{Get(occurredAt)}' is not ISO 8601");
                    continue;
                }

                if (current is not null) yield return current with { Lines = lines };
                lines = [];
                current = new OrderEvent
                {
                    EventType = Get(eventType) ?? OrderEventTypes.Placed,
                    OrderId = id,
                    CancelsOrderId = Get(cancels),
                    CustomerId = Get(customer),
                    OccurredAt = at,
                    Currency = Get(currency) ?? "",
                    Region = Get(region),
                    Channel = Get(channel),
                };
            }

            lines.Add(new OrderLine { Sku = Get(sku) ?? "", Quantity = q, UnitPrice = price, PromotionId = Get(promotion) });
        }

        if (current is not null) yield return current with { Lines = lines };
    }
}
