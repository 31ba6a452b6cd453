using System.Globalization;

namespace Platform.Alerting.Configuration;

/// <summary>
/// Durations as Prometheus and Alertmanager write them: one or more number-unit pairs, largest unit first, e.g. "30s",
/// "5m", "1h30m", "500ms", "1d". Units: y (365 d), w, d, h, m, s, ms.
/// </summary>
public static class PrometheusDuration
{
    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("y", TimeSpan.FromDays(365)), ("w", TimeSpan.FromDays(7)), ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)),
        ("ms", TimeSpan.FromMilliseconds(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)),
    ];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }

        var i = 0;
        var lastRank = -1;
        var total = TimeSpan.Zero;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start || !long.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var rank = Array.FindIndex(Units, u => string.CompareOrdinal(s, i, u.Unit, 0, u.Unit.Length) == 0
                && !(u.Unit == "m" && i + 1 < s.Length && s[i + 1] == 's'));
            // Units must come largest first and once each ("1h30m", not "30m1h"), as Prometheus requires.
            if (rank < 0 || RankOf(Units[rank].Unit) <= lastRank)
            {
                return false;
            }

            lastRank = RankOf(Units[rank].Unit);
            i += Units[rank].Unit.Length;
            try
            {
                total = checked(total + TimeSpan.FromTicks(checked(number * Units[rank].Size.Ticks)));
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        value = total;
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var parts = new List<string>();
        var rest = value;
        foreach (var (unit, size) in new[] { ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)) })
        {
            var count = rest.Ticks / size.Ticks;
            if (count > 0)
            {
                parts.Add(count.ToString(CultureInfo.InvariantCulture) + unit);
                rest -= TimeSpan.FromTicks(count * size.Ticks);
            }
        }

        return string.Concat(parts);
    }

    // Order of size, largest first (ms after s even though it is listed before m for the parser's sake).
    private static int RankOf(string unit) => unit switch
    {
        "y" => 0, "w" => 1, "d" => 2, "h" => 3, "m" => 4, "s" => 5, _ => 6,
    };
}
