using System.Globalization;
using Platform.Contracts;

namespace Platform.Simulator.Import;

/// <summary>
/// Reads the UCI Online Retail CSV format (header
/// <c>InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country</c>) as order events,
/// one per invoice, streaming. Rows of one invoice must be consecutive.
/// </summary>
/// <remarks>
/// InvoiceDate "yyyy-MM-dd HH:mm:ss" (or the UCI original "M/d/yyyy H:mm") is taken as UTC. An invoice starting
/// with "C" is a cancellation: order_cancelled, with the quantities negated (so normally positive); the original
/// invoice is not known, so cancels_order_id is absent. CustomerID "17850.0" becomes "17850", empty means a guest.
/// Country becomes the region, the currency is GBP, there is no channel. Rows that parse but cannot be valid lines
/// (quantity 0, negative quantities outside cancellations, negative prices) are passed through for the validator to
/// reject; rows whose numbers or date do not parse are skipped and reported in <see cref="Issues"/>.
/// </remarks>
public sealed class OnlineRetailCsvReader : CsvOrderReader
{
    public const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
    public const string Currency = "GBP";

    private static readonly string[] DateFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss"];

    public override IEnumerable<OrderEvent> Read(TextReader reader, string source = "")
    {
        var csv = new CsvRecordReader(reader);
        var fields = new List<string>(8);
        if (!csv.TryRead(fields)) yield break;
        if (!string.Equals(string.Join(',', fields).Trim(), Header, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{source}: expected the header '{Header}'.");

        string? invoice = null;
        OrderEvent? current = null;
        List<OrderLine> lines = [];
        while (csv.TryRead(fields))
        {
            if (!TryParseRow(fields, out var row, out var problem))
            {
                Report(source, csv.LineNumber, problem);
                continue;
            }

            if (row.Invoice != invoice)
            {
                if (current is not null) yield return current with { Lines = lines };
                invoice = row.Invoice;
                lines = [];
                var cancellation = row.Invoice.StartsWith('C');
                current = new OrderEvent
                {
                    EventType = cancellation ? OrderEventTypes.Cancelled : OrderEventTypes.Placed,
                    OrderId = row.Invoice,
                    CustomerId = row.Customer,
                    OccurredAt = row.Date,
                    Currency = Currency,
                    Region = row.Country,
                };
            }

            var quantity = current!.EventType == OrderEventTypes.Cancelled ? -row.Quantity : row.Quantity;
            lines.Add(new OrderLine { Sku = row.StockCode, Quantity = quantity, UnitPrice = row.Price });
        }

        if (current is not null) yield return current with { Lines = lines };
    }

    private readonly record struct Row(string Invoice, string StockCode, int Quantity, DateTimeOffset Date, decimal Price, string? Customer, string? Country);

    private static bool TryParseRow(List<string> f, out Row row, out string problem)
    {
        row = default;
        if (f.Count < 8) { problem = $"expected 8 fields, found {f.Count}"; return false; }
        var invoice = f[0].Trim();
        if (invoice.Length == 0) { problem = "empty InvoiceNo"; return false; }
        if (!int.TryParse(f[3].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var quantity)) { problem = $"Quantity '{f[3]}' is not an integer"; return false; }
        if (!TryParseDate(f[4].Trim(), out var date)) { problem = $"InvoiceDate '{f[4]}' does not parse"; return false; }
        if (!decimal.TryParse(f[5].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var price)) { problem = $"UnitPrice '{f[5]}' is not a number"; return false; }
        row = new Row(invoice, f[1].Trim(), quantity, date, price, CustomerId(f[6]), f[7].Trim() is { Length: > 0 } c ? c : null);
        problem = "";
        return true;
    }

    internal static bool TryParseDate(string text, out DateTimeOffset date)
    {
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            date = new DateTimeOffset(dt, TimeSpan.Zero);
            return true;
        }

        date = default;
        return false;
    }

    /// <summary>"17850.0" → "17850"; empty → null (guest).</summary>
    internal static string? CustomerId(string text)
    {
        var s = text.Trim();
        if (s.Length == 0) return null;
        return s.EndsWith(".0", StringComparison.Ordinal) ? s[..^2] : s;
    }

    /// <summary>
    /// A cheap first pass for <see cref="HistoryReplay"/>: the earliest and latest InvoiceDate in the files,
    /// reading only the date column. Null when there are no parseable rows.
    /// </summary>
    public static HistorySpan? ScanSpan(IEnumerable<string> paths)
    {
        DateTimeOffset? first = null, last = null;
        var fields = new List<string>(8);
        foreach (var path in paths)
        {
            using var reader = new StreamReader(path);
            var csv = new CsvRecordReader(reader);
            if (!csv.TryRead(fields)) continue;
            while (csv.TryRead(fields))
            {
                if (fields.Count < 5 || !TryParseDate(fields[4].Trim(), out var d)) continue;
                if (first is null || d < first) first = d;
                if (last is null || d > last) last = d;
            }
        }

        return first is null ? null : new HistorySpan(first.Value, last!.Value);
    }
}
