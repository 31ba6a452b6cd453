using System.Globalization;

namespace Platform.Forecasting.Data;

/// <summary>Writes series as the long CSV that <see cref="LongCsvReader"/> reads: one row per period, UTC ISO 8601 timestamps.</summary>
public static class LongCsvWriter
{
    public static void Write(TextWriter writer, IEnumerable<TimeSeries> series)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(series);
        writer.Write(LongCsvReader.Header);
        writer.Write('\n');
        foreach (var s in series)
        {
            var id = CsvFields.Quote(s.Id);
            for (var i = 0; i < s.Length; i++)
            {
                writer.Write(id);
                writer.Write(',');
                writer.Write(SeriesRegularizer.Format(s.TimestampAt(i)));
                writer.Write(',');
                writer.Write(s.Values[i].ToString("R", CultureInfo.InvariantCulture));
                writer.Write('\n');
            }
        }
    }
}
