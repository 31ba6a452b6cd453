using Parquet;
using Parquet.Schema;
using Platform.Features;

namespace Platform.OfflineStore;

/// <summary>
/// The Parquet layout of feature snapshots: entity_key, as_of (UTC), last_event_at (UTC, null when the entity had no
/// event yet), schema_hash, then one DOUBLE column per feature name in schema order (NaN where undefined).
/// </summary>
internal static class FeatureSnapshotParquet
{
    public static readonly DataField<string> EntityKey = new("entity_key", true);
    public static readonly DateTimeDataField AsOf = OrderLineParquet.Timestamp("as_of");
    public static readonly DateTimeDataField LastEventAt = OrderLineParquet.Timestamp("last_event_at", nullable: true);
    public static readonly DataField<string> SchemaHash = new("schema_hash", true);

    private static readonly HashSet<string> FixedColumns = [EntityKey.Name, AsOf.Name, LastEventAt.Name, SchemaHash.Name];

    public static (ParquetSchema Schema, DataField<double>[] Features) SchemaFor(FeatureSchema schema)
    {
        var features = schema.Names.Select(n => new DataField<double>(n)).ToArray();
        return (new ParquetSchema([EntityKey, AsOf, LastEventAt, SchemaHash, .. features]), features);
    }

    public static async Task WriteAsync(Stream stream, FeatureSchema schema, IReadOnlyList<FeatureVector> vectors, CancellationToken ct)
    {
        var (parquetSchema, features) = SchemaFor(schema);
        await using var writer = await ParquetWriter.CreateAsync(parquetSchema, stream, OrderLineParquet.WriteOptions, cancellationToken: ct);
        for (var start = 0; start < vectors.Count; start += OrderLineParquet.RowGroupSize)
        {
            var n = Math.Min(OrderLineParquet.RowGroupSize, vectors.Count - start);
            var rows = new FeatureVector[n];
            for (var i = 0; i < n; i++) rows[i] = vectors[start + i];
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(EntityKey, OrderLineParquet.Strings(rows, v => v.EntityKey));
            await group.WriteAsync<DateTime>(AsOf, OrderLineParquet.Column(rows, v => v.AsOf.UtcDateTime), cancellationToken: ct);
            await group.WriteAsync<DateTime>(LastEventAt, OrderLineParquet.Column(rows, v => v.LastEventAt?.UtcDateTime), cancellationToken: ct);
            await group.WriteAsync(SchemaHash, OrderLineParquet.Strings(rows, v => v.SchemaHash));
            for (var f = 0; f < features.Length; f++)
            {
                var index = f;
                await group.WriteAsync<double>(features[f], OrderLineParquet.Column(rows, v => v.Values[index]), cancellationToken: ct);
            }
        }
    }

    /// <summary>Every row of one file; the values follow the file's feature columns in their order.</summary>
    public static async Task<List<FeatureVector>> ReadAsync(string path, StringPool pool, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var featureFields = reader.Schema.DataFields.Where(f => !FixedColumns.Contains(f.Name)).ToArray();
        var result = new List<FeatureVector>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            var keys = await OrderLineParquet.ReadStrings(group, fields, EntityKey.Name, n, ct) ?? throw new InvalidDataException($"{path}: no entity_key column.");
            var asOf = await OrderLineParquet.ReadTimes(group, fields, AsOf.Name, n, ct) ?? throw new InvalidDataException($"{path}: no as_of column.");
            var lastEvent = new DateTime?[n];
            if (fields.TryGetValue(LastEventAt.Name, out var lastField)) await group.ReadAsync<DateTime>(lastField, lastEvent, cancellationToken: ct);
            var hashes = await OrderLineParquet.ReadStrings(group, fields, SchemaHash.Name, n, ct);
            var values = new double[featureFields.Length][];
            for (var f = 0; f < featureFields.Length; f++)
            {
                values[f] = new double[n];
                await group.ReadAsync<double>(featureFields[f], values[f], cancellationToken: ct);
            }

            for (var i = 0; i < n; i++)
            {
                var row = new double[featureFields.Length];
                for (var f = 0; f < row.Length; f++) row[f] = values[f][i];
                result.Add(new FeatureVector(
                    pool.Get(keys[i]) ?? "",
                    Utc(asOf[i]),
                    lastEvent[i] is { } last ? Utc(last) : null,
                    pool.Get(hashes?[i]) ?? "",
                    row));
            }
        }

        return result;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
