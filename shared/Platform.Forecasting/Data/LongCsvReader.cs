using System.Globalization;

namespace Platform.Forecasting.Data;

/// <summary>
/// Reads the long CSV <c>series_id,timestamp,value</c> (header required; columns in any order; other columns
/// ignored) into regular series. Bad rows are skipped and reported, never fatal; only an unusable file (no header,
/// no usable row) throws <see cref="InvalidDataException"/> with a message for the user.
/// </summary>
/// <remarks>
/// Memory: one pass, no object per row. Lines are parsed as spans over one buffer, series ids are looked up by
/// span, and each series keeps its rows in two growing arrays (about 16 bytes a row) until it is regularized.
/// Timestamps are UTC ("yyyy-MM-dd[ HH:mm[:ss]]" or ISO 8601; an offset is converted to UTC).
/// </remarks>
public static class LongCsvReader
{
    public const string Header = "series_id,timestamp,value";

    public static SeriesReadResult Read(string path, SeriesReadOptions? options = null)
    {
        using var reader = new StreamReader(path);
        return Read(reader, options);
    }

    public static SeriesReadResult Read(TextReader reader, SeriesReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new SeriesReadOptions();
        var issues = new SeriesIssueLog(options.MaxIssuesKept);
        var lines = new SpanLineReader(reader);
        var (idColumn, timeColumn, valueColumn) = ReadHeader(lines);
        var width = Math.Max(idColumn, Math.Max(timeColumn, valueColumn)) + 1;

        var series = new List<RawSeries>();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var byIdSpan = byId.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<Range> fields = stackalloc Range[width];
        Span<bool> escaped = stackalloc bool[width];
        long rowsRead = 0, rowsUsed = 0;
        while (lines.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }

            rowsRead++;
            var row = lines.LineNumber;
            if (CsvFields.Split(line, fields, escaped) < width)
            {
                issues.Add(SeriesIssueCodes.MissingField, null, row, $"row {row}: expected at least {width} fields; row skipped.");
                continue;
            }

            var idText = line[fields[idColumn]].Trim();
            if (idText.IsEmpty)
            {
                issues.Add(SeriesIssueCodes.MissingSeriesId, null, row, $"row {row}: empty series_id; row skipped.");
                continue;
            }

            var id = escaped[idColumn] ? CsvFields.Unescape(idText) : null;
            var known = id is null ? byIdSpan.TryGetValue(idText, out var index) : byId.TryGetValue(id, out index);
            id ??= known ? series[index].Id : idText.ToString();

            var timeText = line[fields[timeColumn]].Trim();
            if (!TimestampParser.TryParse(timeText, out var timestamp))
            {
                issues.Add(SeriesIssueCodes.BadTimestamp, id, row,
                    $"row {row}: timestamp '{Shorten(timeText)}' is neither ISO 8601 nor yyyy-MM-dd[ HH:mm[:ss]]; row skipped.");
                continue;
            }

            if (!known)
            {
                index = series.Count;
                series.Add(new RawSeries(id));
                byId.Add(id, index);
            }

            // A row whose value is unusable still says its period exists: it is kept as NaN, which the
            // regularizer treats as a gap (and which still counts when the step is inferred).
            var valueText = line[fields[valueColumn]].Trim();
            var usable = TryParseValue(valueText, id, row, issues, out var value);
            series[index].Add(timestamp.Ticks, usable ? value : double.NaN);
            rowsUsed += usable ? 1 : 0;
        }

        if (rowsUsed == 0)
        {
            var first = issues.Kept.Count > 0 ? $" First problem: {issues.Kept[0].Message}" : "";
            throw new InvalidDataException($"no usable rows after the header ({rowsRead:N0} rows read).{first}");
        }

        return new SeriesReadResult(Regularize(series, options, issues), issues, rowsRead, rowsUsed);
    }

    private static (int Id, int Time, int Value) ReadHeader(SpanLineReader lines)
    {
        ReadOnlySpan<char> header;
        do
        {
            if (!lines.TryReadLine(out header))
            {
                throw new InvalidDataException($"the file is empty; expected the header '{Header}'.");
            }
        }
        while (header.IsWhiteSpace());

        header = header.TrimStart('\uFEFF');
        var names = header.ToString().Split(',').Select(n => n.Trim().Trim('"').ToLowerInvariant()).ToList();
        int id = names.IndexOf("series_id"), time = names.IndexOf("timestamp"), value = names.IndexOf("value");
        if (id < 0 || time < 0 || value < 0)
        {
            throw new InvalidDataException($"the first line must be the header '{Header}'; found '{Shorten(header)}'.");
        }

        return (id, time, value);
    }

    private static bool TryParseValue(ReadOnlySpan<char> text, string id, long row, SeriesIssueLog issues, out double value)
    {
        if (text.IsEmpty)
        {
            issues.Add(SeriesIssueCodes.MissingValue, id, row, $"row {row}: empty value; row skipped, its period counts as a gap.");
            value = 0;
            return false;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            issues.Add(SeriesIssueCodes.NonNumericValue, id, row, $"row {row}: value '{Shorten(text)}' is not a number; row skipped, its period counts as a gap.");
            return false;
        }

        if (!double.IsFinite(value))
        {
            issues.Add(SeriesIssueCodes.NonFiniteValue, id, row, $"row {row}: value '{Shorten(text)}' is not finite; row skipped, its period counts as a gap.");
            return false;
        }

        return true;
    }

    private static List<TimeSeries> Regularize(List<RawSeries> raws, SeriesReadOptions options, SeriesIssueLog issues)
    {
        var steps = new long?[raws.Count];
        var stepVotes = new Dictionary<long, int>();
        for (var i = 0; i < raws.Count; i++)
        {
            if (SeriesRegularizer.Sort(raws[i]))
            {
                issues.Add(SeriesIssueCodes.UnsortedRows, raws[i].Id, null, $"{raws[i].Id}: rows were not in time order; sorted.");
            }

            steps[i] = SeriesRegularizer.InferStep(raws[i]);
            if (steps[i] is { } step)
            {
                stepVotes[step] = stepVotes.GetValueOrDefault(step) + 1;
            }
        }

        // A series with one distinct timestamp has no step of its own: it takes the most common step of the file (a day if none has one).
        var common = stepVotes.Count == 0 ? TimeSpan.TicksPerDay : stepVotes.OrderByDescending(v => v.Value).ThenBy(v => v.Key).First().Key;
        var result = new List<TimeSeries>(raws.Count);
        for (var i = 0; i < raws.Count; i++)
        {
            if (steps[i] is null)
            {
                issues.Add(SeriesIssueCodes.StepBorrowed, raws[i].Id, null,
                    $"{raws[i].Id}: one distinct timestamp, so no step of its own; took {TimeSpan.FromTicks(common)}, the most common step in the file.");
            }

            if (SeriesRegularizer.Build(raws[i], steps[i] ?? common, options, issues) is { } series)
            {
                result.Add(series);
            }

            raws[i].Release();
        }

        return result;
    }

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");
}
