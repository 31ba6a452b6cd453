using System.Globalization;
using Platform.Forecasting.Data;

namespace Platform.Forecasting.Evaluation;

/// <summary>Writes a backtest's held-out forecasts as <c>series_id,timestamp,model,p10,p50,p90</c>, one row per series, step and model.</summary>
public static class ForecastCsvWriter
{
    public const string Header = "series_id,timestamp,model,p10,p50,p90";

    public static void Write(TextWriter writer, BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var horizon = result.Options.Horizon;
        writer.Write(Header);
        writer.Write('\n');
        for (var i = 0; i < result.Evaluated.Count; i++)
        {
            var series = result.Evaluated[i];
            var id = CsvFields.Quote(series.Id);
            var firstHeldOut = series.Length - horizon;
            foreach (var score in result.Scores)
            {
                if (!result.Forecasts.TryGetValue(score.Model, out var forecasts))
                {
                    continue;
                }

                var model = CsvFields.Quote(score.Model);
                var f = forecasts[i];
                for (var h = 0; h < horizon; h++)
                {
                    writer.Write(id);
                    writer.Write(',');
                    writer.Write(SeriesRegularizer.Format(series.TimestampAt(firstHeldOut + h)));
                    writer.Write(',');
                    writer.Write(model);
                    writer.Write(',');
                    writer.Write(Number(f.P10[h]));
                    writer.Write(',');
                    writer.Write(Number(f.P50[h]));
                    writer.Write(',');
                    writer.Write(Number(f.P90[h]));
                    writer.Write('\n');
                }
            }
        }
    }

    /// <summary>Four decimals, no exponent: precise enough for demand, readable by any CSV tool.</summary>
    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
