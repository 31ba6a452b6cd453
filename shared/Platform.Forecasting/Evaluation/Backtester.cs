using System.Diagnostics;
using Platform.Forecasting.Data;

namespace Platform.Forecasting.Evaluation;

/// <summary>
/// Holdout backtest: for each series the last H points are held out, every model is fitted on the rest (a
/// global model across all series at once) and scored on the held-out points.
/// </summary>
/// <remarks>
/// A series needs at least H + 1 points (H to hold out, one to fit on); shorter ones are left out with a
/// <see cref="SeriesIssueCodes.TooShort"/> issue rather than scored on a made-up forecast. Models must return one
/// finite, ordered (P10 ≤ P50 ≤ P90) forecast of H steps per series; a model that does not is a bug, reported by name.
/// </remarks>
public static class Backtester
{
    public static BacktestResult Run(IReadOnlyList<TimeSeries> series, BacktestOptions options, IReadOnlyList<IForecastModel> models, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(models);
        var request = new ForecastRequest(options.Horizon, options.SeasonLength);
        request.Validate();
        if (models.Count == 0)
        {
            throw new ArgumentException("Give at least one model.", nameof(models));
        }

        var horizon = options.Horizon;
        var evaluated = new List<TimeSeries>(series.Count);
        var leftOut = new List<SeriesIssue>();
        foreach (var s in series)
        {
            if (s.Length > horizon)
            {
                evaluated.Add(s);
            }
            else
            {
                leftOut.Add(new SeriesIssue(SeriesIssueCodes.TooShort, s.Id, null,
                    $"{s.Id}: {s.Length} points; a backtest with horizon {horizon} needs at least {horizon + 1}; left out."));
            }
        }

        if (evaluated.Count == 0)
        {
            var longest = series.Count == 0 ? 0 : series.Max(s => s.Length);
            throw new InvalidDataException(
                $"no series is long enough for horizon {horizon}: each needs at least {horizon + 1} points, the longest has {longest}.");
        }

        var training = evaluated.Select(s => s.Head(s.Length - horizon)).ToList();
        var scores = new List<ModelScore>(models.Count);
        var kept = new Dictionary<string, IReadOnlyList<QuantileForecast>>(StringComparer.Ordinal);
        for (var m = 0; m < models.Count; m++)
        {
            var model = models[m];
            var clock = Stopwatch.StartNew();
            var forecasts = model.FitPredict(training, request, progress is null ? null : new ScaledProgress(progress, m, models.Count));
            var seconds = clock.Elapsed.TotalSeconds;
            Check(model.Name, forecasts, evaluated, horizon);

            var accumulator = new ScoreAccumulator(options.SeasonLength);
            for (var i = 0; i < evaluated.Count; i++)
            {
                var values = evaluated[i].Values.AsSpan();
                var trainLength = values.Length - horizon;
                accumulator.Add(values[..trainLength], values[trainLength..], forecasts[i]);
            }

            scores.Add(accumulator.ToScore(model.Name, seconds));
            if (options.KeepForecasts)
            {
                kept[model.Name] = forecasts;
            }

            progress?.Report((m + 1.0) / models.Count);
        }

        return new BacktestResult(options, scores, evaluated, leftOut, kept);
    }

    private static void Check(string model, IReadOnlyList<QuantileForecast> forecasts, List<TimeSeries> series, int horizon)
    {
        if (forecasts.Count != series.Count)
        {
            throw new InvalidOperationException($"model '{model}' returned {forecasts.Count} forecasts for {series.Count} series.");
        }

        for (var i = 0; i < forecasts.Count; i++)
        {
            var f = forecasts[i];
            if (f.P10.Length != horizon || f.P50.Length != horizon || f.P90.Length != horizon)
            {
                throw new InvalidOperationException($"model '{model}' returned a forecast of the wrong length for series '{series[i].Id}' (horizon {horizon}).");
            }

            for (var h = 0; h < horizon; h++)
            {
                if (!double.IsFinite(f.P10[h]) || !double.IsFinite(f.P50[h]) || !double.IsFinite(f.P90[h]) || f.P10[h] > f.P50[h] || f.P50[h] > f.P90[h])
                {
                    throw new InvalidOperationException(
                        $"model '{model}' returned P10/P50/P90 = {f.P10[h]}/{f.P50[h]}/{f.P90[h]} at step {h + 1} of series '{series[i].Id}': not finite and ordered.");
                }
            }
        }
    }
}
