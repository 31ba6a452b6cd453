namespace Platform.Forecasting.Data;

/// <summary>
/// Splits one CSV line into field ranges without allocating (RFC 4180 quoting: a field in double quotes may hold
/// commas, and "" inside it is one quote). Line breaks inside quotes are not supported: the long CSV never needs them.
/// </summary>
internal static class CsvFields
{
    /// <summary>
    /// Fills <paramref name="fields"/> with the content of up to fields.Length fields (inside the quotes for quoted ones)
    /// and sets <paramref name="escaped"/>[i] when field i holds "" that <see cref="Unescape"/> must turn into one quote.
    /// Returns the number of fields found, at most fields.Length.
    /// </summary>
    public static int Split(ReadOnlySpan<char> line, Span<Range> fields, Span<bool> escaped)
    {
        var count = 0;
        var at = 0;
        while (count < fields.Length)
        {
            escaped[count] = false;
            var start = at;
            while (start < line.Length && line[start] == ' ')
            {
                start++;
            }

            if (start < line.Length && line[start] == '"')
            {
                var end = start + 1;
                while (end < line.Length)
                {
                    if (line[end] == '"')
                    {
                        if (end + 1 < line.Length && line[end + 1] == '"')
                        {
                            escaped[count] = true;
                            end += 2;
                            continue;
                        }

                        break;
                    }

                    end++;
                }

                fields[count++] = new Range(start + 1, Math.Min(end, line.Length));
                var comma = end < line.Length ? line[end..].IndexOf(',') : -1;
                if (comma < 0)
                {
                    return count;
                }

                at = end + comma + 1;
            }
            else
            {
                var comma = line[at..].IndexOf(',');
                if (comma < 0)
                {
                    fields[count++] = new Range(at, line.Length);
                    return count;
                }

                fields[count++] = new Range(at, at + comma);
                at += comma + 1;
            }
        }

        return count;
    }

    public static string Unescape(ReadOnlySpan<char> field) => field.ToString().Replace("\"\"", "\"", StringComparison.Ordinal);

    /// <summary>The field as it must be written: quoted when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
