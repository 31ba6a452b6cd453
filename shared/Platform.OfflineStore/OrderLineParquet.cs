using Parquet;
using Parquet.Schema;
using Platform.Contracts;

namespace Platform.OfflineStore;

/// <summary>
/// The Parquet layout of <see cref="OrderLineValidated"/>: one column per field, snake_case as in the contract's JSON.
/// unit_price is DECIMAL(38, 18): exact for every price ingestion accepts (at most 1,000,000, and up to 18 decimal
/// places; more are rounded). Timestamps are INT64 TIMESTAMP(NANOS, isAdjustedToUTC=true): UTC, and exact to the
/// .NET tick. Strings are UTF-8 and optional; the record's non-null strings read back as "" when a value is missing.
/// </summary>
internal static class OrderLineParquet
{
    public const int RowGroupSize = 100_000;

    public static readonly DataField<int> SchemaVersion = new("schema_version");
    public static readonly DataField<string> LineId = new("line_id", true);
    public static readonly DataField<string> OrderId = new("order_id", true);
    public static readonly DataField<int> LineNumber = new("line_number");
    public static readonly DataField<int> LineCount = new("line_count");
    public static readonly DataField<string> Kind = new("kind", true);
    public static readonly DataField<string> CancelsOrderId = new("cancels_order_id", true);
    public static readonly DataField<string> Sku = new("sku", true);
    public static readonly DataField<string> Category = new("category", true);
    public static readonly DataField<int> Quantity = new("quantity");
    public static readonly DecimalDataField UnitPrice = new("unit_price", 38, 18);
    public static readonly DataField<string> Currency = new("currency", true);
    public static readonly DataField<string> Region = new("region", true);
    public static readonly DataField<string> Channel = new("channel", true);
    public static readonly DataField<string> CustomerHash = new("customer_hash", true);
    public static readonly DataField<string> PromotionId = new("promotion_id", true);
    public static readonly DateTimeDataField OccurredAt = Timestamp("occurred_at");
    public static readonly DateTimeDataField IngestedAt = Timestamp("ingested_at");

    public static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy };

    public static readonly ParquetSchema Schema = new(
        SchemaVersion, LineId, OrderId, LineNumber, LineCount, Kind, CancelsOrderId, Sku, Category, Quantity, UnitPrice,
        Currency, Region, Channel, CustomerHash, PromotionId, OccurredAt, IngestedAt);

    public static DateTimeDataField Timestamp(string name, bool nullable = false) =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Nanos, isNullable: nullable);

    public static async Task WriteAsync(Stream stream, IReadOnlyList<OrderLineValidated> lines, CancellationToken ct)
    {
        await using var writer = await ParquetWriter.CreateAsync(Schema, stream, WriteOptions, cancellationToken: ct);
        for (var start = 0; start < lines.Count; start += RowGroupSize)
        {
            var n = Math.Min(RowGroupSize, lines.Count - start);
            var rows = new OrderLineValidated[n];
            for (var i = 0; i < n; i++) rows[i] = lines[start + i];
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(SchemaVersion, Column(rows, l => l.SchemaVersion), cancellationToken: ct);
            await group.WriteAsync(LineId, Strings(rows, l => l.LineId));
            await group.WriteAsync(OrderId, Strings(rows, l => l.OrderId));
            await group.WriteAsync<int>(LineNumber, Column(rows, l => l.LineNumber), cancellationToken: ct);
            await group.WriteAsync<int>(LineCount, Column(rows, l => l.LineCount), cancellationToken: ct);
            await group.WriteAsync(Kind, Strings(rows, l => l.Kind));
            await group.WriteAsync(CancelsOrderId, Strings(rows, l => l.CancelsOrderId));
            await group.WriteAsync(Sku, Strings(rows, l => l.Sku));
            await group.WriteAsync(Category, Strings(rows, l => l.Category));
            await group.WriteAsync<int>(Quantity, Column(rows, l => l.Quantity), cancellationToken: ct);
            await group.WriteAsync<decimal>(UnitPrice, Column(rows, l => l.UnitPrice), cancellationToken: ct);
            await group.WriteAsync(Currency, Strings(rows, l => l.Currency));
            await group.WriteAsync(Region, Strings(rows, l => l.Region));
            await group.WriteAsync(Channel, Strings(rows, l => l.Channel));
            await group.WriteAsync(CustomerHash, Strings(rows, l => l.CustomerHash));
            await group.WriteAsync(PromotionId, Strings(rows, l => l.PromotionId));
            await group.WriteAsync<DateTime>(OccurredAt, Column(rows, l => l.OccurredAt.UtcDateTime), cancellationToken: ct);
            await group.WriteAsync<DateTime>(IngestedAt, Column(rows, l => l.IngestedAt.UtcDateTime), cancellationToken: ct);
        }
    }

    /// <summary>Every row of one file, in file order. Repeated strings are shared through <paramref name="pool"/>.</summary>
    public static async Task<List<OrderLineValidated>> ReadAsync(string path, StringPool pool, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var result = new List<OrderLineValidated>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            var schemaVersion = await ReadInts(group, fields, SchemaVersion.Name, n, 1, ct);
            var lineId = await ReadStrings(group, fields, LineId.Name, n, ct) ?? throw Missing(path, LineId.Name);
            var orderId = await ReadStrings(group, fields, OrderId.Name, n, ct);
            var lineNumber = await ReadInts(group, fields, LineNumber.Name, n, 0, ct);
            var lineCount = await ReadInts(group, fields, LineCount.Name, n, 0, ct);
            var kind = await ReadStrings(group, fields, Kind.Name, n, ct);
            var cancels = await ReadStrings(group, fields, CancelsOrderId.Name, n, ct);
            var sku = await ReadStrings(group, fields, Sku.Name, n, ct) ?? throw Missing(path, Sku.Name);
            var category = await ReadStrings(group, fields, Category.Name, n, ct);
            var quantity = fields.ContainsKey(Quantity.Name) ? await ReadInts(group, fields, Quantity.Name, n, 0, ct) : throw Missing(path, Quantity.Name);
            var unitPrice = new decimal[n];
            if (fields.TryGetValue(UnitPrice.Name, out var priceField)) await group.ReadAsync<decimal>(priceField, unitPrice, cancellationToken: ct);
            var currency = await ReadStrings(group, fields, Currency.Name, n, ct);
            var region = await ReadStrings(group, fields, Region.Name, n, ct);
            var channel = await ReadStrings(group, fields, Channel.Name, n, ct);
            var customer = await ReadStrings(group, fields, CustomerHash.Name, n, ct);
            var promotion = await ReadStrings(group, fields, PromotionId.Name, n, ct);
            var occurred = await ReadTimes(group, fields, OccurredAt.Name, n, ct) ?? throw Missing(path, OccurredAt.Name);
            var ingested = await ReadTimes(group, fields, IngestedAt.Name, n, ct);

            result.EnsureCapacity(result.Count + n);
            string? previousOrder = null;
            for (var i = 0; i < n; i++)
            {
                // Lines of one order sit together: share the order id string without a pool lookup.
                var order = orderId?[i] ?? "";
                if (order == previousOrder) order = previousOrder;
                previousOrder = order;
                result.Add(new OrderLineValidated
                {
                    SchemaVersion = schemaVersion[i],
                    LineId = lineId[i] ?? "",
                    OrderId = order,
                    LineNumber = lineNumber[i],
                    LineCount = lineCount[i],
                    Kind = pool.Get(kind?[i]) ?? "",
                    CancelsOrderId = cancels?[i],
                    Sku = pool.Get(sku[i]) ?? "",
                    Category = pool.Get(category?[i]),
                    Quantity = quantity[i],
                    UnitPrice = unitPrice[i],
                    Currency = pool.Get(currency?[i]) ?? "",
                    Region = pool.Get(region?[i]) ?? "",
                    Channel = pool.Get(channel?[i]) ?? "",
                    CustomerHash = pool.Get(customer?[i]),
                    PromotionId = pool.Get(promotion?[i]),
                    OccurredAt = new DateTimeOffset(DateTime.SpecifyKind(occurred[i], DateTimeKind.Utc)),
                    IngestedAt = ingested is null ? default : new DateTimeOffset(DateTime.SpecifyKind(ingested[i], DateTimeKind.Utc)),
                });
            }
        }

        return result;
    }

    internal static T[] Column<TRow, T>(TRow[] rows, Func<TRow, T> select)
    {
        var values = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++) values[i] = select(rows[i]);
        return values;
    }

    internal static string?[] Strings<TRow>(TRow[] rows, Func<TRow, string?> select) => Column(rows, select);

    internal static async Task<string?[]?> ReadStrings(ParquetRowGroupReader group, Dictionary<string, DataField> fields, string name, int n, CancellationToken ct)
    {
        if (!fields.TryGetValue(name, out var field)) return null;
        var values = new string?[n];
        await group.ReadAsync(field, values.AsMemory()!, cancellationToken: ct);
        return values;
    }

    internal static async Task<DateTime[]?> ReadTimes(ParquetRowGroupReader group, Dictionary<string, DataField> fields, string name, int n, CancellationToken ct)
    {
        if (!fields.TryGetValue(name, out var field)) return null;
        var values = new DateTime[n];
        await group.ReadAsync<DateTime>(field, values, cancellationToken: ct);
        return values;
    }

    private static async Task<int[]> ReadInts(ParquetRowGroupReader group, Dictionary<string, DataField> fields, string name, int n, int missing, CancellationToken ct)
    {
        var values = new int[n];
        if (fields.TryGetValue(name, out var field))
        {
            await group.ReadAsync<int>(field, values, cancellationToken: ct);
        }
        else if (missing != 0)
        {
            Array.Fill(values, missing);
        }

        return values;
    }

    private static InvalidDataException Missing(string path, string column) => new($"{path}: column '{column}' is missing.");
}

/// <summary>Shares equal strings read from many rows (SKUs, regions, customer hashes) so that each is held once.</summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string? Get(string? value)
    {
        if (value is null) return null;
        if (_strings.TryGetValue(value, out var shared)) return shared;
        _strings.Add(value, value);
        return value;
    }
}
