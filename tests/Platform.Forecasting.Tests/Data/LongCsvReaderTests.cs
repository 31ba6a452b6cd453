using System.Text;
using Platform.Forecasting.Data;

namespace Platform.Forecasting.Tests.Data;

public sealed class LongCsvReaderTests
{
    private static SeriesReadResult Read(string text, SeriesReadOptions? options = null) =>
        LongCsvReader.Read(new StringReader(text), options);

    private static DateTime Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void LongCsv_ReadsSeriesInOrderOfFirstAppearance()
    {
        var result = Read("""
            series_id,timestamp,value
            b,2024-01-01 00:00,1
            a,2024-01-01 00:00,10
            b,2024-01-01 01:00,2
            a,2024-01-01 01:00,20
            b,2024-01-01 02:00,3
            """);

        Assert.Equal(["b", "a"], result.Series.Select(s => s.Id));
        var b = result.Series[0];
        Assert.Equal(Utc(2024, 1, 1), b.Start);
        Assert.Equal(TimeSpan.FromHours(1), b.Step);
        Assert.Equal([1.0, 2, 3], b.Values);
        Assert.Equal([10.0, 20], result.Series[1].Values);
        Assert.Equal(0, result.Issues.Total);
        Assert.Equal(5, result.RowsUsed);
    }

    [Fact]
    public void LongCsv_SkipsNonNumericValueWithRowAndFillsItsPeriodWithZero()
    {
        var result = Read("series_id,timestamp,value\ns,2024-01-01,4\ns,2024-01-02,abc\ns,2024-01-03,6\n");

        var issue = Assert.Single(result.Issues.Kept, i => i.Code == SeriesIssueCodes.NonNumericValue);
        Assert.Equal("s", issue.SeriesId);
        Assert.Equal(3, issue.Row);
        Assert.Contains("'abc'", issue.Message);
        Assert.Equal([4.0, 0, 6], result.Series[0].Values);
        Assert.Equal(1, result.Issues.Counts[SeriesIssueCodes.GapsFilled]);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e400")]
    public void LongCsv_SkipsNonFiniteValues(string value)
    {
        var result = Read($"series_id,timestamp,value\ns,2024-01-01,1\ns,2024-01-02,{value}\ns,2024-01-03,3\n");

        Assert.Equal(1, result.Issues.Counts[SeriesIssueCodes.NonFiniteValue]);
        Assert.All(result.Series[0].Values, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void LongCsv_ReportsEmptyValueSeriesIdAndMissingFields()
    {
        var result = Read("series_id,timestamp,value\ns,2024-01-01,\n,2024-01-01,1\ns,2024-01-02\ns,2024-01-03,3\ns,2024-01-04,4\n");

        Assert.Equal(1, result.Issues.Counts[SeriesIssueCodes.MissingValue]);
        Assert.Equal(1, result.Issues.Counts[SeriesIssueCodes.MissingSeriesId]);
        Assert.Equal(1, result.Issues.Counts[SeriesIssueCodes.MissingField]);
        // The series starts at its first usable value (the empty one on 01-01 is not made a leading 0).
        Assert.Equal(new DateTime(2024, 1, 3, 0, 0, 0, DateTimeKind.Utc), result.Series[0].Start);
        Assert.Equal([3.0, 4], result.Series[0].Values);
        Assert.Equal(5, result.RowsRead);
        Assert.Equal(2, result.RowsUsed);
    }

    [Fact]
    public void LongCsv_ReportsUnparseableTimestamp()
    {
        var result = Read("series_id,timestamp,value\ns,01/02/2024,1\ns,2024-02-30,1\ns,2024-01-01,1\ns,2024-01-02,2\n");

        Assert.Equal(2, result.Issues.Counts[SeriesIssueCodes.BadTimestamp]);
        Assert.Equal([2L, 3L], result.Issues.Kept.Select(i => i.Row!.Value));
    }

    [Fact]
    public void LongCsv_LeavesOutASeriesWithoutAnyUsableValue()
    {
        var result = Read("series_id,timestamp,value\nbad,2024-01-01,x\nbad,2024-01-02,NaN\ngood,2024-01-01,1\n");

        Assert.Equal(["good"], result.Series.Select(s => s.Id));
        Assert.Equal("bad", Assert.Single(result.Issues.Kept, i => i.Code == SeriesIssueCodes.NoValues).SeriesId);
    }

    [Fact]
    public void LongCsv_SortsUnsortedRows()
    {
        var result = Read("series_id,timestamp,value\ns,2024-01-03,3\ns,2024-01-01,1\ns,2024-01-02,2\n");

        Assert.Equal([1.0, 2, 3], result.Series[0].Values);
        Assert.Equal(Utc(2024, 1, 1), result.Series[0].Start);
        Assert.Equal(1, result.Issues.Counts[SeriesIssueCodes.UnsortedRows]);
    }

    [Fact]
    public void LongCsv_SumsDuplicateTimestampsByDefault()
    {
        var result = Read("series_id,timestamp,value\ns,2024-01-01,1\ns,2024-01-02,2\ns,2024-01-02,5\ns,2024-01-03,3\n");

        Assert.Equal([1.0, 7, 3], result.Series[0].Values);
        var issue = Assert.Single(result.Issues.Kept);
        Assert.Equal(SeriesIssueCodes.DuplicateTimestamps, issue.Code);
        Assert.Contains("summed", issue.Message);
    }

    [Fact]
    public void LongCsv_LastPolicyKeepsTheLastRowInFileOrderEvenWhenUnsorted()
    {
        var text = "series_id,timestamp,value\ns,2024-01-02,9\ns,2024-01-03,3\ns,2024-01-01,1\ns,2024-01-02,2\ns,2024-01-02,4\n";

        var result = Read(text, new SeriesReadOptions { Duplicates = DuplicatePolicy.Last });

        Assert.Equal([1.0, 4, 3], result.Series[0].Values);
        Assert.Equal(1, result.Issues.Counts[SeriesIssueCodes.DuplicateTimestamps]);
    }

    [Fact]
    public void LongCsv_InfersTheMostCommonStepAndFillsGapsWithZero()
    {
        var result = Read("""
            series_id,timestamp,value
            s,2024-01-01 00:00,1
            s,2024-01-01 01:00,2
            s,2024-01-01 04:00,5
            s,2024-01-01 05:00,6
            s,2024-01-01 06:00,7
            """);

        var s = result.Series[0];
        Assert.Equal(TimeSpan.FromHours(1), s.Step);
        Assert.Equal([1.0, 2, 0, 0, 5, 6, 7], s.Values);
        var issue = Assert.Single(result.Issues.Kept);
        Assert.Equal(SeriesIssueCodes.GapsFilled, issue.Code);
        Assert.StartsWith("s: 2 of 7 periods", issue.Message);
    }

    [Fact]
    public void LongCsv_PreviousGapPolicyCarriesTheLastValue()
    {
        var result = Read("series_id,timestamp,value\ns,2024-01-01,1\ns,2024-01-02,2\ns,2024-01-05,5\ns,2024-01-06,6\n",
            new SeriesReadOptions { Gaps = GapPolicy.Previous });

        Assert.Equal([1.0, 2, 2, 2, 5, 6], result.Series[0].Values);
    }

    [Fact]
    public void LongCsv_PutsOffGridTimestampsInTheirPeriod()
    {
        var result = Read("series_id,timestamp,value\ns,2024-01-01 00:00,1\ns,2024-01-01 01:00,2\ns,2024-01-01 01:30,3\ns,2024-01-01 02:00,4\ns,2024-01-01 03:00,5\ns,2024-01-01 04:00,6\n");

        Assert.Equal(TimeSpan.FromHours(1), result.Series[0].Step);
        Assert.Equal([1.0, 5, 4, 5, 6], result.Series[0].Values);
        Assert.Equal(1, result.Issues.Counts[SeriesIssueCodes.OffGridTimestamps]);
    }

    [Fact]
    public void LongCsv_AcceptsIsoTimestampsAndConvertsOffsetsToUtc()
    {
        var result = Read("""
            series_id,timestamp,value
            s,2024-03-01T00:00:00Z,1
            s,2024-03-01T02:00:00+01:00,2
            s,2024-03-01T02:00:00.000Z,3
            s,2024-03-01 03:00:00,4
            s,2024-03-01T04:00,5
            """);

        var s = result.Series[0];
        Assert.Equal(Utc(2024, 3, 1), s.Start);
        Assert.Equal([1.0, 2, 3, 4, 5], s.Values);
        Assert.Equal(0, result.Issues.Total);
    }

    [Fact]
    public void LongCsv_ReadsQuotedIdsColumnsInAnyOrderAndExtraColumns()
    {
        var result = Read("value,note,timestamp,series_id\r\n1,x,2024-01-01,\"shop, \"\"north\"\"\"\r\n2,y,2024-01-02,\"shop, \"\"north\"\"\"\r\n");

        var s = Assert.Single(result.Series);
        Assert.Equal("shop, \"north\"", s.Id);
        Assert.Equal([1.0, 2], s.Values);
    }

    [Fact]
    public void LongCsv_SeriesWithOneTimestampBorrowsTheCommonStep()
    {
        var result = Read("series_id,timestamp,value\na,2024-01-01 00:00,1\na,2024-01-01 01:00,2\nb,2024-01-01 05:00,7\n");

        var b = result.Series[1];
        Assert.Equal(TimeSpan.FromHours(1), b.Step);
        Assert.Equal([7.0], b.Values);
        Assert.Equal(1, result.Issues.Counts[SeriesIssueCodes.StepBorrowed]);
    }

    [Fact]
    public void LongCsv_LeavesOutASeriesThatWouldSpanTooManyPeriods()
    {
        var result = Read("series_id,timestamp,value\ns,2000-01-01 00:00,1\ns,2000-01-01 01:00,1\ns,2000-01-01 02:00,1\ns,2024-01-01,1\nt,2024-01-01,1\nt,2024-01-02,1\n",
            new SeriesReadOptions { MaxPeriodsPerSeries = 1000 });

        Assert.Equal(["t"], result.Series.Select(s => s.Id));
        Assert.Equal("s", Assert.Single(result.Issues.Kept, i => i.Code == SeriesIssueCodes.SeriesTooLong).SeriesId);
    }

    [Fact]
    public void LongCsv_KeepsTheFirstIssuesButCountsAll()
    {
        var text = new StringBuilder("series_id,timestamp,value\n");
        for (var i = 0; i < 50; i++)
        {
            text.Append($"s,2024-01-01,bad{i}\n");
        }

        text.Append("s,2024-01-01,1\n");
        var result = Read(text.ToString(), new SeriesReadOptions { MaxIssuesKept = 3 });

        Assert.Equal(3, result.Issues.Kept.Count);
        // One more: the series has one distinct timestamp, so it borrows a step.
        Assert.Equal(51, result.Issues.Total);
        Assert.Equal(50, result.Issues.Counts[SeriesIssueCodes.NonNumericValue]);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("sku,date,units\na,2024-01-01,1\n", "header")]
    [InlineData("a,2024-01-01,1\n", "header")]
    [InlineData("series_id,timestamp,value\n", "no usable rows")]
    [InlineData("series_id,timestamp,value\na,yesterday,1\n", "neither ISO 8601")]
    public void LongCsv_UnusableFileThrowsWithAClearMessage(string text, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(text));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void LongCsv_ReadsWhatTheWriterWrote()
    {
        var series = new[]
        {
            new TimeSeries("a,b", Utc(2024, 1, 1), TimeSpan.FromHours(1), [0.1, 2, 1e-7, 12345.678]),
            new TimeSeries("c", Utc(2024, 1, 1), TimeSpan.FromDays(1), [-1, 0, 1]),
        };
        var text = new StringWriter();
        LongCsvWriter.Write(text, series);

        var result = Read(text.ToString());

        Assert.Equal(series.Select(s => (s.Id, s.Start, s.Step)), result.Series.Select(s => (s.Id, s.Start, s.Step)));
        Assert.Equal(series[0].Values, result.Series[0].Values);
        Assert.Equal(series[1].Values, result.Series[1].Values);
    }

    [Fact]
    public void LongCsv_AllocatesFarLessThanAnObjectPerRow()
    {
        // 200 series × 1,000 hourly points, interleaved by time (the usual export order).
        var text = new StringBuilder("series_id,timestamp,value\n");
        var start = Utc(2024, 1, 1);
        for (var t = 0; t < 1000; t++)
        {
            var stamp = start.AddHours(t).ToString("yyyy-MM-dd HH:mm:ss");
            for (var s = 0; s < 200; s++)
            {
                text.Append("sku-").Append(s).Append(',').Append(stamp).Append(',').Append((s * 7 + t) % 13).Append('\n');
            }
        }

        var input = new StringReader(text.ToString());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = LongCsvReader.Read(input);
        var perRow = (GC.GetAllocatedBytesForCurrentThread() - before) / 200_000.0;

        Assert.Equal(200, result.Series.Count);
        Assert.All(result.Series, s => Assert.Equal(1000, s.Length));
        // The kept data is 16 bytes a row while reading (grown by doubling) and 8 + 1 a point after; a string per
        // line alone would be over 80 bytes a row.
        Assert.True(perRow < 64, $"{perRow:F1} bytes allocated per row");
    }
}
