using System.Globalization;

namespace Platform.Forecasting.Data;

/// <summary>
/// Parses the timestamps of the long CSV to UTC: "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss" ('T' or a space
/// between date and time) on a fast path without allocation, and other ISO 8601 forms (fractions of a second,
/// "Z", "+02:00") through the framework. A time without an offset is taken as UTC.
/// </summary>
internal static class TimestampParser
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-ddK",
    ];

    public static bool TryParse(ReadOnlySpan<char> text, out DateTime utc)
    {
        if (TryParseFixed(text, out utc))
        {
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var parsed))
        {
            utc = parsed.UtcDateTime;
            return true;
        }

        utc = default;
        return false;
    }

    private static bool TryParseFixed(ReadOnlySpan<char> s, out DateTime utc)
    {
        utc = default;
        if (s.Length > 0 && s[^1] == 'Z')
        {
            s = s[..^1];
        }

        if (s.Length is not (10 or 16 or 19) || s[4] != '-' || s[7] != '-')
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day))
        {
            return false;
        }

        if (s.Length >= 16)
        {
            if (s[10] is not ('T' or ' ') || s[13] != ':' || !Digits(s, 11, 2, out hour) || !Digits(s, 14, 2, out minute))
            {
                return false;
            }

            if (s.Length == 19 && (s[16] != ':' || !Digits(s, 17, 2, out second)))
            {
                return false;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int at, int count, out int value)
    {
        value = 0;
        for (var i = at; i < at + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = value * 10 + d;
        }

        return true;
    }
}
