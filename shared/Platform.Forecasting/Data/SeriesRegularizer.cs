using System.Globalization;

namespace Platform.Forecasting.Data;

/// <summary>
/// Turns the rows of one series into a <see cref="TimeSeries"/>: sorts them (stable, so "last wins" means last in
/// the file), infers the step as the most common difference between consecutive distinct timestamps, puts each
/// row in its period, combines rows of one period and fills missing periods. Every repair is reported.
/// </summary>
internal static class SeriesRegularizer
{
    /// <summary>Sorts the rows by time, keeping file order among equal timestamps. True when they were out of order.</summary>
    public static bool Sort(RawSeries raw)
    {
        var ticks = raw.Ticks;
        var sorted = true;
        for (var i = 1; i < ticks.Length && sorted; i++)
        {
            sorted = ticks[i] >= ticks[i - 1];
        }

        if (sorted)
        {
            return false;
        }

        var keys = ticks.ToArray();
        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        // Array.Sort is not stable: restore file order within each run of equal timestamps.
        for (var runStart = 0; runStart < keys.Length;)
        {
            var runEnd = runStart + 1;
            while (runEnd < keys.Length && keys[runEnd] == keys[runStart])
            {
                runEnd++;
            }

            if (runEnd - runStart > 1)
            {
                Array.Sort(order, runStart, runEnd - runStart);
            }

            runStart = runEnd;
        }

        var values = raw.Values.ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            ticks[i] = keys[i];
            raw.Values[i] = values[order[i]];
        }

        return true;
    }

    /// <summary>The most common positive difference between consecutive sorted timestamps (the smaller one on a tie); null with one distinct timestamp.</summary>
    public static long? InferStep(RawSeries raw)
    {
        var ticks = raw.Ticks;
        var counts = new Dictionary<long, int>();
        for (var i = 1; i < ticks.Length; i++)
        {
            var diff = ticks[i] - ticks[i - 1];
            if (diff > 0)
            {
                counts[diff] = counts.GetValueOrDefault(diff) + 1;
            }
        }

        long? best = null;
        var bestCount = 0;
        foreach (var (diff, count) in counts)
        {
            if (count > bestCount || (count == bestCount && diff < best))
            {
                best = diff;
                bestCount = count;
            }
        }

        return best;
    }

    /// <summary>Builds the regular series on a sorted <paramref name="raw"/>; null (with an issue) when it must be left out.</summary>
    public static TimeSeries? Build(RawSeries raw, long stepTicks, SeriesReadOptions options, SeriesIssueLog issues)
    {
        var ticks = raw.Ticks;
        var input = raw.Values;
        var start = ticks[0];
        var step = TimeSpan.FromTicks(stepTicks);
        var lastPeriod = (ticks[^1] - start) / stepTicks;
        if (lastPeriod >= options.MaxPeriodsPerSeries)
        {
            issues.Add(SeriesIssueCodes.SeriesTooLong, raw.Id, null,
                $"{raw.Id}: {Format(new DateTime(start, DateTimeKind.Utc))} to {Format(new DateTime(ticks[^1], DateTimeKind.Utc))} at a step of {step} " +
                $"would be {lastPeriod + 1:N0} periods, more than {options.MaxPeriodsPerSeries:N0}; series left out.");
            return null;
        }

        var length = (int)lastPeriod + 1;
        var values = new double[length];
        var seen = new bool[length];
        long offGrid = 0, duplicates = 0;
        for (var i = 0; i < ticks.Length; i++)
        {
            var offset = ticks[i] - start;
            var period = (int)(offset / stepTicks);
            if (offset % stepTicks != 0)
            {
                offGrid++;
            }

            if (double.IsNaN(input[i]))
            {
                // A row whose value was unusable (already reported): its period is a gap unless another row fills it.
                continue;
            }

            if (seen[period])
            {
                duplicates++;
                values[period] = options.Duplicates == DuplicatePolicy.Sum ? values[period] + input[i] : input[i];
            }
            else
            {
                seen[period] = true;
                values[period] = input[i];
            }
        }

        var firstSeen = Array.IndexOf(seen, true);
        if (firstSeen < 0)
        {
            issues.Add(SeriesIssueCodes.NoValues, raw.Id, null, $"{raw.Id}: no row has a usable value; series left out.");
            return null;
        }

        // Periods before the first usable value are not filled: the series starts at its first real value.
        long gaps = 0;
        for (var k = firstSeen + 1; k < length; k++)
        {
            if (!seen[k])
            {
                gaps++;
                values[k] = options.Gaps == GapPolicy.Zero ? 0 : values[k - 1];
            }
        }

        if (!Array.TrueForAll(values, double.IsFinite))
        {
            issues.Add(SeriesIssueCodes.NonFiniteValue, raw.Id, null, $"{raw.Id}: summing rows of one period overflowed; series left out.");
            return null;
        }

        if (firstSeen > 0)
        {
            values = values[firstSeen..];
            length -= firstSeen;
        }

        var series = new TimeSeries(raw.Id, new DateTime(start + firstSeen * stepTicks, DateTimeKind.Utc), step, values);
        if (offGrid > 0)
        {
            issues.Add(SeriesIssueCodes.OffGridTimestamps, raw.Id, null,
                $"{raw.Id}: {offGrid:N0} timestamps fall between periods of the inferred step {step}; each was put in the period it falls in.");
        }

        if (duplicates > 0)
        {
            var how = options.Duplicates == DuplicatePolicy.Sum ? "summed" : "the last row in the file kept";
            issues.Add(SeriesIssueCodes.DuplicateTimestamps, raw.Id, null,
                $"{raw.Id}: {duplicates:N0} rows share a period with an earlier row; {how}.");
        }

        if (gaps > 0)
        {
            var how = options.Gaps == GapPolicy.Zero ? "0" : "the previous value";
            issues.Add(SeriesIssueCodes.GapsFilled, raw.Id, null,
                $"{raw.Id}: {gaps:N0} of {length:N0} periods at step {step} had no row; filled with {how}.");
        }

        return series;
    }

    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
