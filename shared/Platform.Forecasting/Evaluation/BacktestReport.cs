using System.Globalization;
using System.Text.Json;
using Platform.Forecasting.Data;

namespace Platform.Forecasting.Evaluation;

/// <summary>Renders a backtest for people (an aligned table) and for scripts (one JSON object); undefined metrics are "n/a" and null.</summary>
public static class BacktestReport
{
    public static void WriteTable(TextWriter writer, BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        var points = result.Scores.Count > 0 ? result.Scores[0].Points : 0;
        writer.WriteLine(Invariant($"{result.Evaluated.Count:N0} series, horizon {o.Horizon}, season {o.SeasonLength}: {points:N0} held-out points per model; {result.LeftOut.Count:N0} series left out (too short)."));
        writer.WriteLine();
        var width = Math.Max(5, result.Scores.Max(s => s.Model.Length));
        writer.WriteLine($"{"model".PadRight(width)}  {"MASE",7}  {"sMAPE%",7}  {"WAPE",7}  {"wQL",7}  {"cover80",7}  {"seconds",8}");
        foreach (var s in result.Scores)
        {
            writer.WriteLine(
                $"{s.Model.PadRight(width)}  {Fixed(s.Mase, 3),7}  {Fixed(s.Smape, 2),7}  {Fixed(s.Wape, 3),7}  {Fixed(s.Wql, 3),7}  {Fixed(s.Coverage80 * 100, 1) + "%",7}  {Fixed(s.Seconds, 2),8}");
        }

        writer.WriteLine();
        writer.WriteLine(Invariant($"MASE (seasonal, M = {o.SeasonLength}) and sMAPE: mean over series; WAPE, wQL (mean of wQL at 0.1, 0.5, 0.9) and cover80 (share of points inside [P10, P90]): pooled over all held-out points."));
        foreach (var s in result.Scores.Where(s => s.MaseSeries < s.Series || s.MaseScaleFallbacks > 0))
        {
            writer.WriteLine(Invariant($"{s.Model}: MASE over {s.MaseSeries:N0} of {s.Series:N0} series (a constant training part has no scale); {s.MaseScaleFallbacks:N0} used the lag-1 scale."));
        }
    }

    /// <param name="issues">Everything reported while reading and scoring; default: the series the backtest left out.</param>
    /// <param name="seriesRead">Series in the input; default: evaluated plus left out.</param>
    public static void WriteJson(Stream stream, BacktestResult result, SeriesIssueLog? issues = null, int? seriesRead = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(result);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteNumber("horizon", result.Options.Horizon);
        json.WriteNumber("season_length", result.Options.SeasonLength);
        json.WriteStartObject("series");
        json.WriteNumber("read", seriesRead ?? result.Evaluated.Count + result.LeftOut.Count);
        json.WriteNumber("evaluated", result.Evaluated.Count);
        json.WriteNumber("left_out", result.LeftOut.Count);
        json.WriteEndObject();
        json.WriteStartArray("models");
        foreach (var s in result.Scores)
        {
            json.WriteStartObject();
            json.WriteString("model", s.Model);
            json.WriteNumber("series", s.Series);
            json.WriteNumber("points", s.Points);
            Number(json, "mase", s.Mase);
            json.WriteNumber("mase_series", s.MaseSeries);
            json.WriteNumber("mase_scale_fallbacks", s.MaseScaleFallbacks);
            Number(json, "smape", s.Smape);
            Number(json, "wape", s.Wape);
            Number(json, "wql", s.Wql);
            Number(json, "wql_p10", s.WqlP10);
            Number(json, "wql_p50", s.WqlP50);
            Number(json, "wql_p90", s.WqlP90);
            Number(json, "coverage_80", s.Coverage80);
            Number(json, "seconds", s.Seconds);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("issues");
        var all = issues ?? LeftOutLog(result);
        json.WriteNumber("total", all.Total);
        json.WriteStartObject("counts");
        foreach (var (code, count) in all.Counts)
        {
            json.WriteNumber(code, count);
        }

        json.WriteEndObject();
        json.WriteStartArray("first");
        foreach (var issue in all.Kept)
        {
            json.WriteStartObject();
            json.WriteString("code", issue.Code);
            json.WriteString("series_id", issue.SeriesId);
            if (issue.Row is { } row)
            {
                json.WriteNumber("row", row);
            }
            else
            {
                json.WriteNull("row");
            }

            json.WriteString("message", issue.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static SeriesIssueLog LeftOutLog(BacktestResult result)
    {
        var log = new SeriesIssueLog();
        foreach (var issue in result.LeftOut)
        {
            log.Add(issue);
        }

        return log;
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, Math.Round(v, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Fixed(double? value, int decimals) =>
        value is { } v && double.IsFinite(v) ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
