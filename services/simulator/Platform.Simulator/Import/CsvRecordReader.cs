using System.Text;

namespace Platform.Simulator.Import;

/// <summary>
/// Streaming RFC 4180 reader: comma-separated, fields optionally in double quotes ("" inside quotes is a quote),
/// quoted fields may hold commas and line breaks. Reads one record at a time.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly StringBuilder _field = new();

    public CsvRecordReader(TextReader reader) => _reader = reader;

    /// <summary>1-based line number where the last record started.</summary>
    public long LineNumber { get; private set; }

    private long _nextLine = 1;

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end. Blank lines are skipped.</summary>
    public bool TryRead(List<string> fields)
    {
        while (true)
        {
            fields.Clear();
            LineNumber = _nextLine;
            var line = _reader.ReadLine();
            if (line is null) return false;
            _nextLine++;
            if (line.Length == 0) continue;

            _field.Clear();
            var inQuotes = false;
            while (true)
            {
                for (var i = 0; i < line.Length; i++)
                {
                    var c = line[i];
                    if (inQuotes)
                    {
                        if (c != '"') _field.Append(c);
                        else if (i + 1 < line.Length && line[i + 1] == '"') { _field.Append('"'); i++; }
                        else inQuotes = false;
                    }
                    else if (c == '"') inQuotes = true;
                    else if (c == ',') { fields.Add(_field.ToString()); _field.Clear(); }
                    else _field.Append(c);
                }

                if (!inQuotes) break;
                // A line break inside quotes belongs to the field.
                var more = _reader.ReadLine();
                if (more is null) break;
                _nextLine++;
                _field.Append('\n');
                line = more;
            }

            fields.Add(_field.ToString());
            return true;
        }
    }
}
