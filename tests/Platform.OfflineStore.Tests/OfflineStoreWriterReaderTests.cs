using Platform.Contracts;
using Platform.Features;
using static Platform.OfflineStore.Tests.TestData;

namespace Platform.OfflineStore.Tests;

public sealed class OfflineStoreWriterReaderTests
{
    [Fact]
    public async Task Round_trip_keeps_every_field_exactly()
    {
        using var dir = new TempDir();
        OrderLineValidated[] lines =
        [
            new()
            {
                SchemaVersion = 1, LineId = "A-1:1", OrderId = "A-1", LineNumber = 1, LineCount = 2, Kind = OrderLineKinds.Sale,
                CancelsOrderId = null, Sku = "85123A", Category = "home, decor", Quantity = 6, UnitPrice = 2.55m, Currency = "GBP",
                Region = "united kingdom", Channel = "unknown", CustomerHash = "0123456789abcdef0123456789abcdef", PromotionId = "SPRING",
                OccurredAt = new DateTimeOffset(2011, 6, 1, 8, 26, 0, TimeSpan.Zero).AddTicks(1_234_567),
                IngestedAt = new DateTimeOffset(2011, 6, 1, 8, 26, 1, TimeSpan.Zero).AddTicks(7),
            },
            new()
            {
                SchemaVersion = 1, LineId = "C-9:3", OrderId = "C-9", LineNumber = 3, LineCount = 3, Kind = OrderLineKinds.Cancellation,
                CancelsOrderId = "A-1", Sku = "ÉTÉ \"quoted\",sku", Category = null, Quantity = -10_000, UnitPrice = 999_999.123456789012345678m,
                Currency = "EUR", Region = "", Channel = "web", CustomerHash = null, PromotionId = null,
                // Not UTC: stored as the same instant in UTC.
                OccurredAt = new DateTimeOffset(2011, 6, 1, 23, 59, 59, TimeSpan.FromHours(-2)).AddTicks(9_999_999),
                IngestedAt = DateTimeOffset.UnixEpoch,
            },
            Line("z", 1, "S1", 1, new DateTimeOffset(2011, 6, 2, 0, 0, 0, TimeSpan.Zero), price: 0.0001m),
        ];

        var writer = new OfflineStoreWriter(dir.Path);
        foreach (var line in lines) writer.Append(line);
        var flush = await writer.FlushAsync();
        Assert.Equal(3, flush.Lines);

        var read = await new OfflineStoreReader(dir.Path).ReadOrderLinesAsync(new DateOnly(2011, 1, 1), new DateOnly(2011, 12, 31));
        Assert.Equal(3, read.Lines.Count);
        var byId = read.Lines.ToDictionary(l => l.LineId);
        foreach (var expected in lines)
        {
            var actual = byId[expected.LineId];
            Assert.Equal(expected, actual);
            Assert.Equal(expected.UnitPrice, actual.UnitPrice);
            Assert.Equal(expected.OccurredAt.UtcTicks, actual.OccurredAt.UtcTicks);
            Assert.Equal(expected.IngestedAt.UtcTicks, actual.IngestedAt.UtcTicks);
            Assert.Equal(TimeSpan.Zero, actual.OccurredAt.Offset);
            Assert.Equal(TimeSpan.Zero, actual.IngestedAt.Offset);
        }

        Assert.Equal(0, read.DuplicatesDropped);
    }

    [Fact]
    public async Task Lines_are_partitioned_by_utc_event_date_and_ranges_open_only_their_partitions()
    {
        using var dir = new TempDir();
        var day1 = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        OrderLineValidated[] lines =
        [
            Line("a", 1, "S1", 1, day1),
            Line("a", 2, "S1", 1, day1.AddDays(1).AddTicks(-1)),
            Line("b", 1, "S1", 1, new DateTimeOffset(2024, 3, 1, 23, 30, 0, TimeSpan.FromHours(-2))), // 2024-03-02 01:30 UTC
            Line("c", 1, "S2", 1, day1.AddDays(1)),
            Line("d", 1, "S2", 1, day1.AddDays(4).AddHours(5)),
        ];
        await using (var writer = new OfflineStoreWriter(dir.Path, time: new FixedTime(new DateTimeOffset(2024, 3, 9, 10, 11, 12, 345, TimeSpan.Zero))))
        {
            foreach (var line in lines) writer.Append(line);
            var flush = await writer.FlushAsync();
            Assert.Equal(3, flush.Files.Count);
            foreach (var file in flush.Files)
            {
                Assert.Matches(@"^part-20240309T101112345Z-[0-9a-f]{32}\.parquet$", Path.GetFileName(file));
            }
        }

        var reader = new OfflineStoreReader(dir.Path);
        Assert.Equal([new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 2), new DateOnly(2024, 3, 5)], reader.OrderLineDates());
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "order_lines", "date=2024-03-02")));

        // A partition outside the range is never opened: a corrupt file there does no harm.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "order_lines", "date=2024-03-05", "part-0-corrupt.parquet"), "not parquet");

        var day2 = await reader.ReadOrderLinesAsync(new DateOnly(2024, 3, 2), new DateOnly(2024, 3, 4));
        Assert.Equal(1, day2.PartitionsRead);
        Assert.Equal(["c:1", "b:1"], day2.Lines.Select(l => l.LineId));

        var first = await reader.ReadOrderLinesAsync(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 1));
        Assert.Equal(["a:1", "a:2"], first.Lines.Select(l => l.LineId));
        await Assert.ThrowsAnyAsync<Exception>(() => reader.ReadOrderLinesAsync(new DateOnly(2024, 3, 5), new DateOnly(2024, 3, 5)));
    }

    [Fact]
    public async Task Replayed_lines_are_read_once()
    {
        using var dir = new TempDir();
        var history = History(seed: 1, days: 3);
        var writer = new OfflineStoreWriter(dir.Path);
        foreach (var line in history) writer.Append(line);
        await writer.FlushAsync();

        // A crash after that flush, before the offsets were committed: the last 300 lines come again, with new ones.
        var replayed = history.Skip(history.Count - 300).ToList();
        var extra = Line("new", 1, "S1", 4, history[^1].OccurredAt.AddMinutes(1));
        foreach (var line in replayed) writer.Append(line with { IngestedAt = line.IngestedAt.AddMinutes(5) });
        writer.Append(extra);
        await writer.FlushAsync();
        // And the same line twice within one flush.
        writer.Append(history[0]);
        await writer.FlushAsync();

        var read = await new OfflineStoreReader(dir.Path).ReadOrderLinesAsync(DateOnly.MinValue, DateOnly.MaxValue);
        Assert.Equal(301, read.DuplicatesDropped);
        Assert.Equal(history.Count + 1, read.Lines.Count);
        Assert.Equal(history.Select(l => l.LineId).Append(extra.LineId).Order(StringComparer.Ordinal), read.Lines.Select(l => l.LineId).Order(StringComparer.Ordinal));
        Assert.Equal(history.Count + 302, read.RowsRead);

        // Sorted by event time, then line id: the order OfflineFeatureBuilder replays in.
        var expectedOrder = read.Lines.OrderBy(l => l.OccurredAt.UtcTicks).ThenBy(l => l.LineId, StringComparer.Ordinal).Select(l => l.LineId);
        Assert.Equal(expectedOrder, read.Lines.Select(l => l.LineId));
    }

    [Fact]
    public async Task A_file_being_written_is_never_visible_to_readers()
    {
        using var dir = new TempDir();
        var reader = new OfflineStoreReader(dir.Path);
        var writer = new OfflineStoreWriter(dir.Path);
        var checkedWhileWriting = 0;
        writer.BeforeCommit = async temp =>
        {
            // The file is complete on disk but still under its temporary name.
            Assert.True(File.Exists(temp));
            Assert.StartsWith(".part-", Path.GetFileName(temp));
            Assert.EndsWith(".parquet.tmp", temp);
            var read = await reader.ReadOrderLinesAsync(DateOnly.MinValue, DateOnly.MaxValue);
            Assert.Empty(read.Lines);
            Assert.Equal(0, read.FilesRead);
            checkedWhileWriting++;
        };
        writer.Append(Line("a", 1, "S1", 1, Start));
        await writer.FlushAsync();
        Assert.Equal(1, checkedWhileWriting);

        // A temporary file a crashed writer left behind is ignored, as is anything else not named part-*.parquet.
        var partition = OfflineStoreLayout.PartitionDirectory(dir.Path, OfflineStoreLayout.OrderLinesTable, DateOnly.FromDateTime(Start.UtcDateTime));
        await File.WriteAllTextAsync(Path.Combine(partition, ".part-20240101T000000000Z-dead.parquet.tmp"), "half a file");
        await File.WriteAllTextAsync(Path.Combine(partition, "_SUCCESS"), "");

        var after = await reader.ReadOrderLinesAsync(DateOnly.MinValue, DateOnly.MaxValue);
        Assert.Single(after.Lines);
        Assert.Equal(1, after.FilesRead);
        Assert.DoesNotContain(Directory.GetFiles(partition, ".part-*"), f => !f.Contains("dead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_flush_leaves_no_file_and_keeps_the_lines_for_the_next_one()
    {
        using var dir = new TempDir();
        var writer = new OfflineStoreWriter(dir.Path);
        var fail = true;
        writer.BeforeCommit = _ => fail ? throw new IOException("disk full") : Task.CompletedTask;
        writer.Append(Line("a", 1, "S1", 1, Start));
        writer.Append(Line("b", 1, "S1", 1, Start.AddDays(1)));
        await Assert.ThrowsAsync<IOException>(() => writer.FlushAsync());

        Assert.Equal(2, writer.BufferedLines);
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));

        fail = false;
        writer.Append(Line("c", 1, "S1", 1, Start));
        var flush = await writer.FlushAsync();
        Assert.Equal(3, flush.Lines);
        Assert.Equal(0, writer.BufferedLines);
        var read = await new OfflineStoreReader(dir.Path).ReadOrderLinesAsync(DateOnly.MinValue, DateOnly.MaxValue);
        Assert.Equal(["a:1", "c:1", "b:1"], read.Lines.Select(l => l.LineId));
    }

    [Fact]
    public async Task Appends_from_other_threads_during_flushes_are_all_written()
    {
        using var dir = new TempDir();
        var writer = new OfflineStoreWriter(dir.Path);
        var history = History(seed: 2, days: 2);
        var producer = Task.Run(() =>
        {
            foreach (var line in history) writer.Append(line);
        });
        while (!producer.IsCompleted) await writer.FlushAsync();
        await producer;
        await writer.DisposeAsync();

        var read = await new OfflineStoreReader(dir.Path).ReadOrderLinesAsync(DateOnly.MinValue, DateOnly.MaxValue);
        Assert.Equal(history.Count, read.Lines.Count);
        Assert.Equal(0, read.DuplicatesDropped);
    }

    [Fact]
    public async Task Feature_snapshots_round_trip_by_as_of_date()
    {
        using var dir = new TempDir();
        var schema = FeatureSchema.Default;
        var aggregator = new PartitionFeatureAggregator(schema);
        foreach (var line in History(seed: 3, days: 3)) aggregator.Apply(line);
        var asOf = aggregator.MaxEventTime!.Value;
        var vectors = new[] { "sku:S1", "sku:S2", "sku:never" }
            .SelectMany(key => new[] { aggregator.Compute(key, asOf), aggregator.Compute(key, new DateTimeOffset(asOf.UtcDateTime.Date.AddDays(1), TimeSpan.Zero).AddTicks(1)) })
            .ToList();
        Assert.Contains(vectors, v => v.Values.Any(double.IsNaN));

        var writer = new OfflineStoreWriter(dir.Path, schema);
        foreach (var vector in vectors) writer.AppendSnapshot(vector);
        writer.AppendSnapshot(vectors[0]); // written twice, read once
        var flush = await writer.FlushAsync();
        Assert.Equal(2, flush.Files.Count);
        Assert.All(flush.Files, f => Assert.Contains($"{Path.DirectorySeparatorChar}feature_snapshots{Path.DirectorySeparatorChar}date=", f));
        Assert.Throws<ArgumentException>(() => writer.AppendSnapshot(vectors[0] with { SchemaHash = "other" }));

        var read = await new OfflineStoreReader(dir.Path).ReadSnapshotsAsync(DateOnly.MinValue, DateOnly.MaxValue);
        Assert.Equal(vectors.Count, read.Count);
        foreach (var expected in vectors)
        {
            var actual = Assert.Single(read, v => v.EntityKey == expected.EntityKey && v.AsOf == expected.AsOf);
            Assert.Equal(expected.SchemaHash, actual.SchemaHash);
            Assert.Equal(expected.LastEventAt, actual.LastEventAt);
            Assert.Equal(expected.Values, actual.Values);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
