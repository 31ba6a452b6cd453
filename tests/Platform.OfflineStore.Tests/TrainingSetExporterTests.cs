using System.Globalization;
using Parquet;
using Platform.Contracts;
using Platform.Features;
using static Platform.OfflineStore.Tests.TestData;

namespace Platform.OfflineStore.Tests;

public sealed class TrainingSetExporterTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.Default;

    [Fact]
    public async Task A_sale_one_second_after_the_label_time_is_in_its_target_not_its_features()
    {
        using var dir = new TempDir();
        var label = Start.AddDays(2).AddHours(10);
        var lines = new List<OrderLineValidated>
        {
            Line("h1", 1, "S1", 3, Start.AddHours(5)),
            Line("h2", 1, "S1", 2, label.AddHours(-1)),
            Line("h3", 1, "S1", 1, label), // at the label time: a feature, not a target
            Line("big", 1, "S1", 5_000, label.AddSeconds(1), price: 1m, customer: "whale", promotion: "BIG"),
            Line("later", 1, "S1", 7, label.AddHours(2)),
            Line("after", 1, "S1", 11, label.AddHours(24).AddTicks(1)), // just past the 24 h window
        };
        (await WriteAllAsync(dir.Path, lines)).ToString();

        var rows = await ExportRowsAsync(dir.Path, new TrainingSetOptions { From = label, To = label.AddHours(1) }, dir.File("t.parquet"));
        var atLabel = Assert.Single(rows, r => r.AsOf == label);
        Assert.Equal("sku:S1", atLabel.EntityKey);
        Assert.Equal(1, atLabel.Feature("qty_1h"));
        Assert.Equal(3, atLabel.Feature("qty_24h"));
        Assert.Equal(6, atLabel.Feature("qty_7d"));
        Assert.Equal(0, atLabel.Feature("promo_any_24h"));
        Assert.Equal(2.5, atLabel.Feature("avg_price_24h"));
        Assert.Equal(5_000, atLabel.Target1H);
        Assert.Equal(5_007, atLabel.Target24H);

        var nextHour = Assert.Single(rows, r => r.AsOf == label.AddHours(1));
        Assert.Equal(0, nextHour.Feature("qty_1h"));
        Assert.Equal(5_001, nextHour.Feature("qty_lag_1h"));
        Assert.Equal(5_003, nextHour.Feature("qty_24h"));
        Assert.Equal(1, nextHour.Feature("promo_any_24h"));
        Assert.Equal(7, nextHour.Target1H); // "later" sits exactly at the end of (t, t + 1 h]
        Assert.Equal(7 + 11, nextHour.Target24H);

        // The same, straight from the definition.
        var reference = new OfflineFeatureBuilder(Schema).Build(lines, [new LabelPoint("sku:S1", label)]);
        Assert.Equal(reference[0].Values, atLabel.Features);
    }

    [Theory]
    [InlineData(TrainingEntity.Sku, 60)]
    [InlineData(TrainingEntity.SkuRegion, 60)]
    [InlineData(TrainingEntity.Sku, 37)]
    public async Task Features_equal_OfflineFeatureBuilder_and_targets_equal_the_future_sums(TrainingEntity entity, int everyMinutes)
    {
        using var dir = new TempDir();
        var history = History(seed: 7, days: 10);
        await WriteAllAsync(dir.Path, history, flushEvery: 777);
        var options = new TrainingSetOptions
        {
            From = Start.AddDays(1).AddMinutes(30),
            To = Start.AddDays(9),
            Every = TimeSpan.FromMinutes(everyMinutes),
            Entity = entity,
        };
        var rows = await ExportRowsAsync(dir.Path, options, dir.File("t.parquet"));

        string KeyOf(OrderLineValidated l) => entity == TrainingEntity.Sku ? EntityKeys.Sku(l.Sku) : EntityKeys.SkuRegion(l.Sku, l.Region);
        var firstSeen = history.GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.Min(l => l.OccurredAt));
        var expectedPoints = new List<LabelPoint>();
        for (var t = options.From; t <= options.To; t += options.Every)
        {
            foreach (var key in firstSeen.Where(e => e.Value <= t).Select(e => e.Key).Order(StringComparer.Ordinal))
            {
                expectedPoints.Add(new LabelPoint(key, t));
            }
        }

        Assert.Equal(expectedPoints, rows.Select(r => new LabelPoint(r.EntityKey, r.AsOf)));
        var reference = new OfflineFeatureBuilder(Schema).Build(history, expectedPoints);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(reference[i].Values, rows[i].Features);
            var t = rows[i].AsOf;
            var own = history.Where(l => KeyOf(l) == rows[i].EntityKey && l.OccurredAt > t).ToList();
            Assert.Equal(own.Where(l => l.OccurredAt <= t.AddHours(1)).Sum(l => (long)l.Quantity), rows[i].Target1H);
            Assert.Equal(own.Where(l => l.OccurredAt <= t.AddHours(24)).Sum(l => (long)l.Quantity), rows[i].Target24H);
            Assert.Equal(Schema.Hash, rows[i].SchemaHash);
        }
    }

    [Fact]
    public async Task Features_equal_what_the_online_aggregator_computes_as_of_the_same_time()
    {
        using var dir = new TempDir();
        var history = History(seed: 11, days: 8, skus: 4);
        await WriteAllAsync(dir.Path, history);
        var label = Start.AddDays(7).AddHours(15);
        var rows = await ExportRowsAsync(dir.Path, new TrainingSetOptions { From = label, To = label }, dir.File("t.csv"));

        // The stream: lines arrive a little out of order (within the grace period), some twice.
        var arrival = history.OrderBy(l => l.OccurredAt).ToList();
        var random = new Random(5);
        for (var i = 1; i < arrival.Count; i++)
        {
            if (random.NextDouble() < 0.3 && arrival[i].OccurredAt - arrival[i - 1].OccurredAt < TimeSpan.FromMinutes(5))
            {
                (arrival[i], arrival[i - 1]) = (arrival[i - 1], arrival[i]);
            }
        }

        var online = new PartitionFeatureAggregator(Schema);
        var grace = Schema.Options.GracePeriod;
        foreach (var line in arrival.Where(l => l.OccurredAt <= label + grace))
        {
            Assert.NotEqual(ApplyResult.Late, online.Apply(line));
            if (random.NextDouble() < 0.05) Assert.Equal(ApplyResult.Duplicate, online.Apply(line));
        }

        Assert.True(online.Watermark <= label);
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            Assert.Equal(online.Compute(row.EntityKey, label).Values, row.Features);
        }
    }

    [Fact]
    public async Task Csv_and_parquet_outputs_hold_the_same_table()
    {
        using var dir = new TempDir();
        var history = History(seed: 13, days: 3, skus: 3);
        history.Add(Line("odd", 1, "WEIRD,\"SKU\"", 2, Start.AddHours(1)));
        await WriteAllAsync(dir.Path, history);
        var options = new TrainingSetOptions { From = Start.AddHours(1), To = Start.AddHours(30) };
        var exporter = new TrainingSetExporter(new OfflineStoreReader(dir.Path));

        var parquetSummary = await exporter.ExportAsync(options, dir.File("t.parquet"));
        var csvSummary = await exporter.ExportAsync(options, dir.File("t.csv"));
        Assert.Equal(parquetSummary, csvSummary);
        Assert.True(csvSummary.OutputWritten);
        Assert.Equal(30, csvSummary.LabelPoints);
        Assert.Equal(4, csvSummary.Entities);
        Assert.Equal(history.Count(l => l.OccurredAt <= options.To.AddHours(24)), csvSummary.LinesRead);

        var fromParquet = await ReadParquetAsync(dir.File("t.parquet"));
        var fromCsv = ReadCsv(dir.File("t.csv"));
        Assert.Equal(csvSummary.Rows, fromCsv.Count);
        Assert.Equal(fromParquet.Count, fromCsv.Count);
        for (var i = 0; i < fromCsv.Count; i++)
        {
            Assert.Equal(fromParquet[i].EntityKey, fromCsv[i].EntityKey);
            Assert.Equal(fromParquet[i].AsOf, fromCsv[i].AsOf);
            Assert.Equal(fromParquet[i].Features, fromCsv[i].Features);
            Assert.Equal(fromParquet[i].Target1H, fromCsv[i].Target1H);
            Assert.Equal(fromParquet[i].Target24H, fromCsv[i].Target24H);
        }

        var lines = File.ReadAllLines(dir.File("t.csv"));
        Assert.Equal(string.Join(',', exporter.Columns), lines[0]);
        Assert.StartsWith("entity_key,as_of,schema_hash,qty_1h,", lines[0]);
        Assert.EndsWith(",target_qty_next_1h,target_qty_next_24h", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("\"sku:WEIRD,\"\"SKU\"\"\",2024-03-04T01:00:00Z,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",NaN,", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*.tmp"));
    }

    [Fact]
    public async Task Duplicates_are_dropped_and_counted_and_an_empty_result_writes_nothing()
    {
        using var dir = new TempDir();
        var history = History(seed: 17, days: 2, skus: 2);
        await WriteAllAsync(dir.Path, history);
        await WriteAllAsync(dir.Path, history.Take(50)); // replayed after a crash
        var exporter = new TrainingSetExporter(new OfflineStoreReader(dir.Path));

        var summary = await exporter.ExportAsync(new TrainingSetOptions { From = Start, To = Start.AddDays(1) }, dir.File("t.parquet"));
        Assert.Equal(50, summary.DuplicatesDropped);
        Assert.Equal(history.Count, summary.LinesRead);
        Assert.True(summary.TargetsIncomplete);

        var single = await exporter.ExportAsync(new TrainingSetOptions { From = Start, To = Start }, dir.File("one.parquet"));
        Assert.False(single.TargetsIncomplete);

        var before = await exporter.ExportAsync(new TrainingSetOptions { From = Start.AddDays(-5), To = Start.AddDays(-4) }, dir.File("none.csv"));
        Assert.False(before.OutputWritten);
        Assert.Equal(0, before.Rows);
        Assert.False(File.Exists(dir.File("none.csv")));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));

        Assert.Throws<ArgumentException>(() => new TrainingSetOptions { From = Start, To = Start.AddHours(-1) }.CountLabelPoints());
        Assert.Throws<ArgumentException>(() => new TrainingSetOptions { From = Start, To = Start, Every = TimeSpan.Zero }.CountLabelPoints());
    }

    internal sealed record Row(string EntityKey, DateTimeOffset AsOf, string SchemaHash, double[] Features, long Target1H, long Target24H)
    {
        public double Feature(string name) => Features[Schema.IndexOf(name)];
    }

    private static async Task<List<Row>> ExportRowsAsync(string root, TrainingSetOptions options, string output)
    {
        var summary = await new TrainingSetExporter(new OfflineStoreReader(root)).ExportAsync(options, output);
        Assert.True(summary.OutputWritten);
        var rows = output.EndsWith(".csv", StringComparison.Ordinal) ? ReadCsv(output) : await ReadParquetAsync(output);
        Assert.Equal(summary.Rows, rows.Count);
        return rows;
    }

    private static async Task<List<Row>> ReadParquetAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.DataFields;
        Assert.Equal(["entity_key", "as_of", "schema_hash", .. Schema.Names, "target_qty_next_1h", "target_qty_next_24h"], fields.Select(f => f.Name));
        var rows = new List<Row>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var keys = new string?[n];
            await group.ReadAsync(fields[0], keys.AsMemory()!);
            var asOf = new DateTime[n];
            await group.ReadAsync<DateTime>(fields[1], asOf);
            var hashes = new string?[n];
            await group.ReadAsync(fields[2], hashes.AsMemory()!);
            var features = new double[Schema.Count][];
            for (var f = 0; f < Schema.Count; f++)
            {
                features[f] = new double[n];
                await group.ReadAsync<double>(fields[3 + f], features[f]);
            }

            var t1 = new long[n];
            var t24 = new long[n];
            await group.ReadAsync<long>(fields[3 + Schema.Count], t1);
            await group.ReadAsync<long>(fields[4 + Schema.Count], t24);
            for (var i = 0; i < n; i++)
            {
                rows.Add(new Row(keys[i]!, new DateTimeOffset(DateTime.SpecifyKind(asOf[i], DateTimeKind.Utc)), hashes[i]!,
                    features.Select(c => c[i]).ToArray(), t1[i], t24[i]));
            }
        }

        return rows;
    }

    private static List<Row> ReadCsv(string path)
    {
        var rows = new List<Row>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = SplitCsv(line);
            Assert.Equal(Schema.Count + 5, fields.Count);
            var asOf = DateTimeOffset.Parse(fields[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var features = fields.Skip(3).Take(Schema.Count).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            rows.Add(new Row(fields[0], asOf.ToUniversalTime(), fields[2], features,
                long.Parse(fields[^2], CultureInfo.InvariantCulture), long.Parse(fields[^1], CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }

        fields.Add(current.ToString());
        return fields;
    }
}
