using System.Text.Json;
using Platform.Forecasting.Data;
using Platform.Forecasting.Evaluation;

namespace Platform.Forecasting.Tests.Evaluation;

public sealed class BacktestReportTests
{
    // Every problem the reader repairs, in one file: a bad number, NaN, a duplicate, unsorted rows, a gap,
    // a series shorter than the horizon, a constant series and an all-zero one.
    private const string Messy = """
        series_id,timestamp,value
        busy,2024-01-01,5
        busy,2024-01-03,7
        busy,2024-01-02,6
        busy,2024-01-04,oops
        busy,2024-01-05,NaN
        busy,2024-01-06,9
        busy,2024-01-06,1
        busy,2024-01-08,8
        busy,2024-01-09,6
        busy,2024-01-10,7
        short,2024-01-01,1
        short,2024-01-02,2
        flat,2024-01-01,4
        flat,2024-01-02,4
        flat,2024-01-03,4
        flat,2024-01-04,4
        flat,2024-01-05,4
        flat,2024-01-06,4
        zero,2024-01-01,0
        zero,2024-01-02,0
        zero,2024-01-03,0
        zero,2024-01-04,0
        zero,2024-01-05,0
        zero,2024-01-06,0
        """;

    private static (SeriesReadResult Read, BacktestResult Result) RunMessy(bool keepForecasts = false)
    {
        var read = LongCsvReader.Read(new StringReader(Messy));
        var result = Backtester.Run(read.Series, new BacktestOptions(3, 2, keepForecasts), ForecastModelCatalog.CreateDefault().Create([]));
        foreach (var issue in result.LeftOut)
        {
            read.Issues.Add(issue);
        }

        return (read, result);
    }

    [Fact]
    public void Report_JsonOnMessyInputHasEveryModelNoNaNAndEveryIssueCode()
    {
        var (read, result) = RunMessy();
        var stream = new MemoryStream();

        BacktestReport.WriteJson(stream, result, read.Issues, read.Series.Count);

        using var json = JsonDocument.Parse(stream.ToArray());
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("horizon").GetInt32());
        Assert.Equal(4, root.GetProperty("series").GetProperty("read").GetInt32());
        Assert.Equal(3, root.GetProperty("series").GetProperty("evaluated").GetInt32());
        Assert.Equal(1, root.GetProperty("series").GetProperty("left_out").GetInt32());
        var models = root.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["naive", "seasonal_naive", "moving_average", "ets", "neural"], models.Select(m => m.GetProperty("model").GetString()));
        foreach (var model in models)
        {
            foreach (var metric in new[] { "mase", "smape", "wape", "wql", "wql_p10", "wql_p50", "wql_p90", "coverage_80" })
            {
                var value = model.GetProperty(metric);
                Assert.True(value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()), $"{metric}: {value}");
            }

            // "flat" and "zero" have constant training parts: no MASE scale.
            Assert.Equal(1, model.GetProperty("mase_series").GetInt32());
        }

        var counts = root.GetProperty("issues").GetProperty("counts");
        foreach (var code in new[] { SeriesIssueCodes.NonNumericValue, SeriesIssueCodes.NonFiniteValue, SeriesIssueCodes.UnsortedRows,
                     SeriesIssueCodes.DuplicateTimestamps, SeriesIssueCodes.GapsFilled, SeriesIssueCodes.TooShort })
        {
            Assert.True(counts.TryGetProperty(code, out var count) && count.GetInt32() >= 1, code);
        }

        var first = root.GetProperty("issues").GetProperty("first").EnumerateArray().First();
        Assert.Equal(SeriesIssueCodes.NonNumericValue, first.GetProperty("code").GetString());
        Assert.Equal("busy", first.GetProperty("series_id").GetString());
        Assert.Equal(5, first.GetProperty("row").GetInt64());
    }

    [Fact]
    public void Report_JsonWritesNullForAnUndefinedMetric()
    {
        var read = LongCsvReader.Read(new StringReader("series_id,timestamp,value\nz,2024-01-01,0\nz,2024-01-02,0\nz,2024-01-03,0\n"));
        var result = Backtester.Run(read.Series, new BacktestOptions(1, 1), ForecastModelCatalog.CreateDefault().Create(["naive"]));
        var stream = new MemoryStream();

        BacktestReport.WriteJson(stream, result);

        var model = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("models")[0];
        Assert.Equal(JsonValueKind.Null, model.GetProperty("wape").ValueKind);
        Assert.Equal(JsonValueKind.Null, model.GetProperty("mase").ValueKind);
        Assert.Equal(0, model.GetProperty("smape").GetDouble());
    }

    [Fact]
    public void Report_TableHasARowPerModelAndSaysHowMetricsAreAggregated()
    {
        var (_, result) = RunMessy();
        var text = new StringWriter();

        BacktestReport.WriteTable(text, result);

        var lines = text.ToString().Split('\n');
        Assert.StartsWith("3 series, horizon 3, season 2: 9 held-out points per model; 1 series left out", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("model ") && l.Contains("MASE") && l.Contains("wQL") && l.Contains("cover80"));
        foreach (var name in new[] { "naive ", "seasonal_naive ", "moving_average ", "ets " })
        {
            Assert.Contains(lines, l => l.StartsWith(name));
        }

        Assert.Contains(lines, l => l.StartsWith("naive: MASE over 1 of 3 series"));
        Assert.DoesNotContain("NaN", text.ToString());
    }

    [Fact]
    public void Report_ForecastCsvHasARowPerSeriesStepAndModelAtTheHeldOutTimestamps()
    {
        var (_, result) = RunMessy(keepForecasts: true);
        var text = new StringWriter();

        ForecastCsvWriter.Write(text, result);

        var rows = text.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(ForecastCsvWriter.Header, rows[0]);
        Assert.Equal(1 + 3 * 5 * 3, rows.Length); // series × models × steps
        // "busy" runs 2024-01-01 to 01-10: the held-out days are 01-08 to 01-10.
        Assert.Equal(
            ["2024-01-08T00:00:00Z", "2024-01-09T00:00:00Z", "2024-01-10T00:00:00Z"],
            rows.Skip(1).Where(r => r.StartsWith("busy,") && r.Contains(",naive,")).Select(r => r.Split(',')[1]));
        Assert.Contains("flat,2024-01-04T00:00:00Z,ets,4,4,4", rows);
        Assert.All(rows.Skip(1), r => Assert.Equal(6, r.Split(',').Length));
    }
}
