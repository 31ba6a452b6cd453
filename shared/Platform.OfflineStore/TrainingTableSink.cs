using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Platform.OfflineStore;

/// <summary>Receives the rows of a training table, one at a time, in the exporter's order.</summary>
internal interface ITrainingTableSink : IAsyncDisposable
{
    ValueTask WriteRowAsync(string entityKey, DateTimeOffset asOf, ReadOnlySpan<double> features, long target1H, long target24H, CancellationToken ct);

    ValueTask CompleteAsync(CancellationToken ct);
}

/// <summary>
/// CSV with a header; as_of in ISO 8601 UTC ("2011-06-01T13:00:00Z"), features in shortest round-trip form, NaN as
/// "NaN" (which pandas and Spark read as NaN), fields quoted only when they hold a comma, quote or line break.
/// </summary>
internal sealed class CsvTrainingTableSink : ITrainingTableSink
{
    private readonly StreamWriter _writer;
    private readonly string _schemaHash;

    public CsvTrainingTableSink(Stream stream, IReadOnlyList<string> columns, string schemaHash)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        _schemaHash = Escape(schemaHash);
        _writer.WriteLine(string.Join(',', columns.Select(Escape)));
    }

    public ValueTask WriteRowAsync(string entityKey, DateTimeOffset asOf, ReadOnlySpan<double> features, long target1H, long target24H, CancellationToken ct)
    {
        var w = _writer;
        w.Write(Escape(entityKey));
        w.Write(',');
        w.Write(FormatTime(asOf));
        w.Write(',');
        w.Write(_schemaHash);
        Span<char> buffer = stackalloc char[32];
        foreach (var value in features)
        {
            w.Write(',');
            if (double.IsNaN(value))
            {
                w.Write("NaN");
            }
            else
            {
                value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture);
                w.Write(buffer[..written]);
            }
        }

        w.Write(',');
        w.Write(target1H.ToString(CultureInfo.InvariantCulture));
        w.Write(',');
        w.Write(target24H.ToString(CultureInfo.InvariantCulture));
        w.Write('\n');
        return ValueTask.CompletedTask;
    }

    public async ValueTask CompleteAsync(CancellationToken ct) => await _writer.FlushAsync(ct);

    public async ValueTask DisposeAsync() => await _writer.DisposeAsync();

    internal static string FormatTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// Parquet: entity_key and schema_hash UTF-8, as_of TIMESTAMP(NANOS, UTC), features DOUBLE, targets INT64; row groups
/// of <see cref="RowGroupSize"/> rows, so memory stays bounded whatever the table's size.
/// </summary>
internal sealed class ParquetTrainingTableSink : ITrainingTableSink
{
    public const int RowGroupSize = 65_536;

    private readonly ParquetWriter _writer;
    private readonly string _schemaHash;
    private readonly DataField<string> _entityField;
    private readonly DateTimeDataField _asOfField;
    private readonly DataField<string> _hashField;
    private readonly DataField<double>[] _featureFields;
    private readonly DataField<long> _target1HField;
    private readonly DataField<long> _target24HField;
    private readonly string?[] _entities = new string?[RowGroupSize];
    private readonly DateTime[] _asOf = new DateTime[RowGroupSize];
    private readonly double[][] _features;
    private readonly long[] _target1H = new long[RowGroupSize];
    private readonly long[] _target24H = new long[RowGroupSize];
    private int _count;

    private ParquetTrainingTableSink(ParquetWriter writer, string schemaHash, IReadOnlyList<string> featureNames, ParquetSchema schema)
    {
        _writer = writer;
        _schemaHash = schemaHash;
        var fields = schema.DataFields;
        _entityField = (DataField<string>)fields[0];
        _asOfField = (DateTimeDataField)fields[1];
        _hashField = (DataField<string>)fields[2];
        _featureFields = fields.Skip(3).Take(featureNames.Count).Cast<DataField<double>>().ToArray();
        _target1HField = (DataField<long>)fields[3 + featureNames.Count];
        _target24HField = (DataField<long>)fields[4 + featureNames.Count];
        _features = featureNames.Select(_ => new double[RowGroupSize]).ToArray();
    }

    public static async Task<ParquetTrainingTableSink> CreateAsync(Stream stream, IReadOnlyList<string> featureNames, string target1H, string target24H, string schemaHash, CancellationToken ct)
    {
        var schema = new ParquetSchema(
        [
            new DataField<string>(TrainingSetExporter.EntityKeyColumn, true),
            OrderLineParquet.Timestamp(TrainingSetExporter.AsOfColumn),
            new DataField<string>(TrainingSetExporter.SchemaHashColumn, true),
            .. featureNames.Select(n => new DataField<double>(n)),
            new DataField<long>(target1H),
            new DataField<long>(target24H),
        ]);
        var writer = await ParquetWriter.CreateAsync(schema, stream, OrderLineParquet.WriteOptions, cancellationToken: ct);
        return new ParquetTrainingTableSink(writer, schemaHash, featureNames, schema);
    }

    public ValueTask WriteRowAsync(string entityKey, DateTimeOffset asOf, ReadOnlySpan<double> features, long target1H, long target24H, CancellationToken ct)
    {
        var i = _count++;
        _entities[i] = entityKey;
        _asOf[i] = asOf.UtcDateTime;
        for (var f = 0; f < _features.Length; f++) _features[f][i] = features[f];
        _target1H[i] = target1H;
        _target24H[i] = target24H;
        return _count == RowGroupSize ? new ValueTask(FlushGroupAsync(ct)) : ValueTask.CompletedTask;
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        if (_count > 0) await FlushGroupAsync(ct);
    }

    public async ValueTask DisposeAsync() => await _writer.DisposeAsync();

    private async Task FlushGroupAsync(CancellationToken ct)
    {
        var n = _count;
        using var group = _writer.CreateRowGroup();
        await group.WriteAsync(_entityField, n == RowGroupSize ? _entities : _entities[..n]);
        await group.WriteAsync<DateTime>(_asOfField, _asOf.AsMemory(0, n), cancellationToken: ct);
        var hashes = new string?[n];
        Array.Fill(hashes, _schemaHash);
        await group.WriteAsync(_hashField, hashes);
        for (var f = 0; f < _features.Length; f++)
        {
            await group.WriteAsync<double>(_featureFields[f], _features[f].AsMemory(0, n), cancellationToken: ct);
        }

        await group.WriteAsync<long>(_target1HField, _target1H.AsMemory(0, n), cancellationToken: ct);
        await group.WriteAsync<long>(_target24HField, _target24H.AsMemory(0, n), cancellationToken: ct);
        _count = 0;
    }
}
