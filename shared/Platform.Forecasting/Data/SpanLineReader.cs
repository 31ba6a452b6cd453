namespace Platform.Forecasting.Data;

/// <summary>
/// Reads lines as spans over one reused buffer, so reading a file allocates nothing per row. A line is valid
/// until the next call. A line longer than <see cref="MaxLineLength"/> is an error: such a file is not a CSV of short rows,
/// and buffering it whole would defeat the bounded memory this reader exists for.
/// </summary>
internal sealed class SpanLineReader
{
    public const int MaxLineLength = 1 << 20;

    private readonly TextReader _reader;
    private char[] _buffer = new char[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;

    public SpanLineReader(TextReader reader) => _reader = reader;

    /// <summary>1-based number of the last line returned.</summary>
    public long LineNumber { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        var scanFrom = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending[scanFrom..].IndexOf('\n');
            if (newline >= 0)
            {
                newline += scanFrom;
                line = TrimCarriageReturn(pending[..newline]);
                _start += newline + 1;
                LineNumber++;
                return true;
            }

            if (_eof)
            {
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }

                line = TrimCarriageReturn(pending);
                _start = _end;
                LineNumber++;
                return true;
            }

            scanFrom = pending.Length;
            Fill();
        }
    }

    private void Fill()
    {
        var pending = _end - _start;
        if (pending > MaxLineLength)
        {
            throw new InvalidDataException($"line {LineNumber + 1} is longer than {MaxLineLength:N0} characters; expected short CSV rows.");
        }

        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private static ReadOnlySpan<char> TrimCarriageReturn(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;
}
