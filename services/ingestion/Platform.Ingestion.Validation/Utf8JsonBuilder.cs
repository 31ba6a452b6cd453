using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;

namespace Platform.Ingestion.Validation;

/// <summary>
/// A growable UTF-8 buffer with just the JSON primitives that <see cref="OrderNormalizer"/> needs. Every value is
/// written exactly as <c>Utf8JsonWriter</c> writes it with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>:
/// strings through the same encoder, decimals and integers through <see cref="Utf8Formatter"/>'s default format,
/// timestamps in ISO 8601 "O" form with trailing zero fractions trimmed. Not thread-safe; used per thread.
/// </summary>
internal sealed class Utf8JsonBuilder
{
    // Per JSON character, the longest escape is "\uXXXX" (6 bytes); a surrogate pair becomes two of them.
    private const int MaxEscapedBytesPerChar = 6;

    // Longest "O" form of a DateTimeOffset: yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm.
    private const int MaxTimestampBytes = 33;

    private const int StackChars = 256;

    private static readonly StandardFormat RoundTripFormat = new('O');

    // Printable ASCII but the quote and the backslash: what the relaxed encoder passes through unchanged, and what
    // ids, SKUs and labels nearly always consist of. Anything else takes the encoder's own path.
    private static readonly SearchValues<char> s_verbatim = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private byte[] _buffer;
    private int _length;

    public Utf8JsonBuilder(int initialCapacity) => _buffer = new byte[initialCapacity];

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public ReadOnlySpan<byte> Slice(int start, int length) => _buffer.AsSpan(start, length);

    public void Clear() => _length = 0;

    /// <summary>Drops what was written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => _length = Math.Min(_length, length);

    /// <summary>True when <paramref name="value"/> needs no escaping: its UTF-16 code units are its UTF-8 bytes.</summary>
    public static bool IsVerbatim(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(s_verbatim);

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    public void Byte(byte value)
    {
        Reserve(1)[0] = value;
        _length++;
    }

    public void Int(int value)
    {
        // int.MinValue is 11 characters.
        Utf8Formatter.TryFormat(value, Reserve(11), out var written);
        _length += written;
    }

    public void Decimal(decimal value)
    {
        // The common price: positive, at most 9 significant digits. Written as Utf8Formatter writes it (every digit
        // of the scale kept, "0." before a fraction with no integer part), without its general-purpose machinery.
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = (uint)bits[0];
        if (bits[1] == 0 && bits[2] == 0 && bits[3] >= 0 && mantissa is > 0 and <= 999_999_999)
        {
            WritePositiveDecimal(mantissa, (bits[3] >> 16) & 0xFF);
            return;
        }


        // Utf8JsonWriter.WriteNumberValue(decimal) formats with Utf8Formatter's default ("G") format, which keeps
        // the scale (19.90 stays 19.90); the longest decimal is 31 characters.
        Utf8Formatter.TryFormat(value, Reserve(32), out var written);
        _length += written;
    }

    private void WritePositiveDecimal(uint mantissa, int scale)
    {
        Span<byte> digits = stackalloc byte[10];
        Utf8Formatter.TryFormat(mantissa, digits, out var count);
        if (scale == 0)
        {
            Raw(digits[..count]);
            return;
        }

        // Longest: "0." + 28 zeros + 9 digits.
        var destination = Reserve(scale + 3);
        var integerDigits = count - scale;
        int written;
        if (integerDigits > 0)
        {
            digits[..integerDigits].CopyTo(destination);
            destination[integerDigits] = (byte)'.';
            digits[integerDigits..count].CopyTo(destination[(integerDigits + 1)..]);
            written = count + 1;
        }
        else
        {
            destination[0] = (byte)'0';
            destination[1] = (byte)'.';
            destination.Slice(2, -integerDigits).Fill((byte)'0');
            digits[..count].CopyTo(destination[(2 - integerDigits)..]);
            written = scale + 2;
        }

        _length += written;
    }

    /// <summary>A quoted timestamp, as Utf8JsonWriter writes a <see cref="DateTimeOffset"/>.</summary>
    public void Timestamp(DateTimeOffset value)
    {
        var destination = Reserve(MaxTimestampBytes + 2);
        destination[0] = (byte)'"';
        Utf8Formatter.TryFormat(value, destination[1..], out var written, RoundTripFormat);
        written = TrimFraction(destination.Slice(1, written));
        destination[written + 1] = (byte)'"';
        _length += written + 2;
    }

    /// <summary>The JSON-escaped text of <paramref name="value"/>, without quotes.</summary>
    public void Escaped(string value)
    {
        if (IsVerbatim(value))
        {
            _length += Encoding.ASCII.GetBytes(value, Reserve(value.Length));
            return;
        }

        EscapedSlow(value);
    }

    /// <summary>
    /// <paramref name="value"/> lower-cased (invariant), escaped, without quotes; with <paramref name="trim"/>, white
    /// space at both ends is dropped first. False, writing nothing, when that leaves nothing.
    /// </summary>
    public bool LowerEscaped(string value, bool trim)
    {
        if (IsVerbatim(value) && value.Length > 0 && !(trim && (value[0] == ' ' || value[^1] == ' ')))
        {
            Ascii.ToLower(value, Reserve(value.Length), out var written);
            _length += written;
            return true;
        }

        var text = trim ? value.Trim() : value;
        if (text.Length == 0)
        {
            return false;
        }

        EscapedSlow(text.ToLowerInvariant());
        return true;
    }

    /// <summary><paramref name="value"/> upper-cased (invariant), escaped, without quotes.</summary>
    public void UpperEscaped(string value)
    {
        if (IsVerbatim(value))
        {
            Ascii.ToUpper(value, Reserve(value.Length), out var written);
            _length += written;
            return;
        }

        EscapedSlow(value.ToUpperInvariant());
    }

    /// <summary>Utf8JsonWriter's own path: the encoder escapes the UTF-16 text, which is then transcoded to UTF-8.</summary>
    private void EscapedSlow(string value)
    {
        var maxChars = value.Length * MaxEscapedBytesPerChar;
        char[]? rented = null;
        var escaped = maxChars <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(maxChars));
        try
        {
            // Lone surrogates come out as \uFFFD, as from Utf8JsonWriter; everything after is valid UTF-16.
            JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(value, escaped, out _, out var charsWritten);
            var text = escaped[..charsWritten];
            _length += Encoding.UTF8.GetBytes(text, Reserve(Encoding.UTF8.GetMaxByteCount(text.Length)));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Drops trailing zeros of the 7-digit fraction (and the point when all are zero) of an "O"-formatted
    /// DateTimeOffset, keeping the offset: what System.Text.Json writes. Returns the new length.
    /// </summary>
    private static int TrimFraction(Span<byte> text)
    {
        // yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm: the fraction is at 20..26, the offset at 27..32.
        const int FractionStart = 20, OffsetStart = 27;
        var end = OffsetStart;
        while (end > FractionStart && text[end - 1] == (byte)'0')
        {
            end--;
        }

        if (end == FractionStart)
        {
            end--;
        }

        if (end == OffsetStart)
        {
            return text.Length;
        }

        var offsetLength = text.Length - OffsetStart;
        text[OffsetStart..].CopyTo(text[end..]);
        return end + offsetLength;
    }

    private Span<byte> Reserve(int bytes)
    {
        if (_buffer.Length - _length < bytes)
        {
            Grow(bytes);
        }

        return _buffer.AsSpan(_length);
    }

    private void Grow(int bytes)
    {
        var size = Math.Max(_buffer.Length * 2, _length + bytes);
        Array.Resize(ref _buffer, size);
    }
}
