using System.Globalization;
using Platform.Contracts;
using Platform.Forecasting.Anomaly;

namespace Platform.Inference.Pipeline;

/// <summary>
/// Demand spikes and drops: once an hour is complete (a new window ends after it), its actual demand is judged against
/// the interval the SKU's previous forecast gave for that hour. One alert per incident, scores on the forecasting
/// engine's scale (−log10(p) / 10), the inputs that moved most as contributors.
/// </summary>
/// <remarks>
/// <para>The evidence is on order <i>lines</i>, not units: hourly units are compound counts with a heavy tail (one line
/// can hold 500 units), and docs/models.md measured that judging units flags every bulk order; a bulk order is the
/// order-risk scorer's business. The expected lines are the forecast's P50 units divided by the SKU's units per line over
/// its window; their noise is quasi-Poisson (<see cref="AnomalyOptions.LineDispersion"/>) plus a relative model error
/// (<see cref="AnomalyOptions.RelativeModelError"/>) plus, above P50, the forecast's own upper spread (P50 to P90, in lines), judged with the engine's count tail
/// (<see cref="AnomalyScore.Log10CountTwoSidedTail"/>).</para>
/// <para>Each hour's forecast is first scaled by the shop's level over the hours before it (<see cref="DemandLevel"/>):
/// a SKU is flagged for moving against the rest of the shop, while a day on which every SKU moves together is one
/// shop-wide alert instead of hundreds.</para>
/// <para>A forecast can be wrong on its own: a spike must also stand out above the SKU's busiest same hour of the days
/// before, a drop below their mean (<see cref="SameHourHistory"/>).</para>
/// <para>As in the engine's streaming detector, the evidence is the strongest of the hour's own z and the z of the mean
/// of the last two and three consecutive hours (Σz/√k), so a sustained drop whose single hours are only moderately
/// unusual is found within a few hours. An hour is anomalous when that score reaches
/// <see cref="AnomalyOptions.DemandThreshold"/> <b>and</b> its units lie outside the forecast's 80 % interval on the same
/// side. An hour with promoted lines at or above the forecast is a known event: never flagged, and it breaks the evidence run; one below it is judged (a promotion explains more demand, never less). A drop within a day after the SKU's last promoted line is the promotion ending (the forecast still carries its uplift), not flagged. A SKU with no sale
/// in the first <see cref="AnomalyOptions.HistoryCheckHours"/> of its window (a new SKU, or one too sparse for a week
/// of history) is not judged.</para>
/// </remarks>
internal sealed class DemandAnomalyJudge(AnomalyOptions options)
{
    /// <summary>Judges the hours that <paramref name="forecast"/>'s window completed since <paramref name="state"/> last looked, then remembers the forecast.</summary>
    /// <param name="level">The shop's level: scales each hour's expectation, and counts the hours judged here.</param>
    public void Observe(SkuDemandState state, SkuForecast forecast, DemandLevel.Pending level, DateTimeOffset now, string? traceId, List<AnomalyAlert> alerts)
    {
        var window = forecast.Window;
        if (state.HasForecast && window.End > state.JudgedUntil)
        {
            JudgeCompletedHours(state, forecast, level, now, traceId, alerts);
        }

        if (window.End > state.JudgedUntil)
        {
            state.JudgedUntil = window.End;
        }

        state.Remember(forecast);
    }

    private void JudgeCompletedHours(SkuDemandState state, SkuForecast forecast, DemandLevel.Pending level, DateTimeOffset now, string? traceId, List<AnomalyAlert> alerts)
    {
        var window = forecast.Window;
        if (!HasHistory(window, options.HistoryCheckHours))
        {
            return;
        }

        long totalUnits = 0, totalLines = 0;
        for (var i = 0; i < window.Hours; i++)
        {
            totalUnits += window.Units[i];
            totalLines += window.Lines[i];
        }

        var from = state.JudgedUntil > state.Origin ? state.JudgedUntil : state.Origin;
        for (var hour = from; hour < window.End; hour = hour.AddHours(1))
        {
            var step = (int)((hour - state.Origin).Ticks / TimeSpan.TicksPerHour);
            var index = window.Hours - (int)((window.End - hour).Ticks / TimeSpan.TicksPerHour);
            if (step >= state.P50.Length || index < 0)
            {
                // Beyond what the remembered forecast covered (the SKU was idle longer than the horizon): no expectation.
                ResetEvidence(state);
                continue;
            }

            var units = window.Units[index];
            var lines = window.Lines[index];

            // Units per line from the rest of the window: the judged hour does not set its own yardstick.
            var otherLines = totalLines - lines;
            if (otherLines <= 0)
            {
                ResetEvidence(state);
                continue;
            }

            var unitsPerLine = Math.Max((double)(totalUnits - units) / otherLines, 1e-9);
            var promoted = window.PromoLines[index] > 0;
            if (!promoted && state.Incident == AnomalyDirection.None)
            {
                // The shop's level is learnt from SKUs behaving as usual, with their own forecasts (before any level).
                level.Add(hour, lines, state.P50[step] / unitsPerLine);
            }

            var history = SameHourHistory.Of(window, index);
            var promotionEnded = !promoted && PromotedWithin(window, index, PromotionAfterglowHours);
            JudgeHour(state, forecast, hour, step, units, lines, promoted, promotionEnded, unitsPerLine, level.LevelBefore(hour), history, now, traceId, alerts);
        }
    }

    private void JudgeHour(
        SkuDemandState state, SkuForecast forecast, DateTimeOffset hour, int step, int units, int lines, bool promoted, bool promotionEnded,
        double unitsPerLine, double shopLevel, SameHourHistory history, DateTimeOffset now, string? traceId, List<AnomalyAlert> alerts)
    {
        // The forecast as the shop is doing: on a day every SKU sells twice its forecast, twice the forecast is the SKU's usual.
        double p10 = state.P10[step] * shopLevel, p50 = state.P50[step] * shopLevel, p90 = state.P90[step] * shopLevel;
        var expectedLines = p50 / unitsPerLine;

        // A promotion explains more demand, never less: a promoted hour above the forecast is a known event (its evidence
        // does not carry on), while one far below it is judged as any other.
        if (promoted && lines >= expectedLines)
        {
            ResetEvidence(state);
            if (state.Incident != AnomalyDirection.None && ++state.NormalRun >= options.IncidentEndAfter)
            {
                state.Incident = AnomalyDirection.None;
            }

            return;
        }

        // A skewed forecast (P90 above 1.5 × P50: intermittent demand, P50 often 0) is no promise of few lines: above
        // P50 its own upper spread counts too (P90 lies 1.28 standard deviations above P50). Not for a steady seller, nor
        // below P50: the quantiles are of units, whose spread the quantity per line inflates, and on lines that spread
        // would hide real spikes and drops.
        var forecastSd = lines >= expectedLines && p90 > 1.5 * p50 ? (p90 - p50) / 1.2816 / unitsPerLine : 0;
        var variance = options.LineDispersion * (expectedLines + 1) + Math.Pow(options.RelativeModelError * expectedLines, 2) + forecastSd * forecastSd;
        var log10P = AnomalyScore.Log10CountTwoSidedTail(lines, expectedLines, variance, 1);
        var z = AnomalyScore.ZFromLog10TwoSided(log10P) * (lines >= expectedLines ? 1 : -1);

        // Evidence over the last consecutive hours, as the engine's detector does.
        var consecutive = state.ZCount > 0 && state.ZHour == hour.AddHours(-1);
        var evidence = z;
        if (consecutive)
        {
            evidence = Stronger(evidence, (z + state.Z1) / Math.Sqrt(2), z);
            if (state.ZCount > 1)
            {
                evidence = Stronger(evidence, (z + state.Z1 + state.Z2) / Math.Sqrt(3), z);
            }
        }

        state.Z2 = consecutive ? state.Z1 : 0;
        state.Z1 = z;
        state.ZCount = consecutive ? Math.Min(state.ZCount + 1, 2) : 1;
        state.ZHour = hour;

        var score = AnomalyScore.FromTwoSidedZ(evidence);
        var direction = evidence > 0 && units > p90 ? AnomalyDirection.Spike
            : evidence < 0 && units < p10 ? AnomalyDirection.Drop
            : AnomalyDirection.None;
        if (direction == AnomalyDirection.Drop && promotionEnded)
        {
            // The forecast was made while the SKU was promoted (its window shows the uplift) and the promotion is over: the
            // demand falling back is the promotion ending, which the model cannot know, not an anomaly.
            direction = AnomalyDirection.None;
        }

        if (direction != AnomalyDirection.None && score >= options.DemandThreshold && !history.AlsoUnusual(lines, direction, options))
        {
            // The forecast is the odd one out: the SKU sold like this at this hour on the days before (a model that put
            // P90 at 0 for a night hour the SKU always sells in). An anomaly must be one against its own history too.
            direction = AnomalyDirection.None;
        }

        if (direction == AnomalyDirection.None || score < options.DemandThreshold)
        {
            if (state.Incident != AnomalyDirection.None && ++state.NormalRun >= options.IncidentEndAfter)
            {
                state.Incident = AnomalyDirection.None;
            }

            return;
        }

        state.NormalRun = 0;
        if (state.Incident == direction)
        {
            return;
        }

        state.Incident = direction;
        var kind = direction == AnomalyDirection.Spike ? AnomalyKinds.DemandSpike : AnomalyKinds.DemandDrop;
        var inv = CultureInfo.InvariantCulture;
        alerts.Add(new AnomalyAlert
        {
            AlertId = string.Create(inv, $"{kind}:{forecast.Sku}:{hour:yyyyMMddTHH}"),
            Kind = kind,
            Sku = forecast.Sku,
            Severity = AlertSeverity.For(score, options.CriticalScore),
            Score = score,
            Observed = units,
            ExpectedP10 = p10,
            ExpectedP50 = p50,
            ExpectedP90 = p90,
            WindowStart = hour,
            WindowEnd = hour.AddHours(1),
            DetectedAt = now,
            ModelVersion = state.ModelVersion,
            TraceId = traceId,
            Summary = string.Create(inv,
                $"Demand {(direction == AnomalyDirection.Spike ? "spike" : "drop")} on SKU {forecast.Sku}: {units} units on {lines} lines in the hour from {hour:yyyy-MM-dd HH:mm} UTC; forecast {p50:0.#} units (80 % interval {p10:0.#}–{p90:0.#}){(shopLevel == 1 ? "" : string.Create(inv, $", scaled by the shop's level ×{shopLevel:0.00}"))}."),
            Contributors =
            [
                new AnomalyContributor { Name = "order_lines_vs_expected", Value = lines, Baseline = Math.Round(expectedLines, 3) },
                new AnomalyContributor { Name = "units_vs_p50", Value = units, Baseline = p50 },
                new AnomalyContributor { Name = "units_per_line", Value = lines == 0 ? 0 : Math.Round((double)units / lines, 3), Baseline = Math.Round(unitsPerLine, 3) },
                new AnomalyContributor { Name = "shop_level", Value = Math.Round(shopLevel, 3), Baseline = 1 },
                new AnomalyContributor { Name = "lines_vs_same_hour_before", Value = lines, Baseline = Math.Round(history.Mean, 3) },
                new AnomalyContributor { Name = "lines_vs_busiest_same_hour_before", Value = lines, Baseline = history.Max },
            ],
        });
    }

    /// <summary>Hours after a SKU's last promoted line in which a drop is taken for the promotion ending.</summary>
    private const int PromotionAfterglowHours = 24;

    private static bool PromotedWithin(Platform.OnlineStore.DemandWindow window, int index, int hours)
    {
        for (var i = Math.Max(0, index - hours); i < index; i++)
        {
            if (window.PromoLines[i] > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static double Stronger(double current, double candidate, double sign) =>
        Math.Sign(candidate) == Math.Sign(sign) && Math.Abs(candidate) > Math.Abs(current) ? candidate : current;

    private static void ResetEvidence(SkuDemandState state) => state.ZCount = 0;

    private static bool HasHistory(Platform.OnlineStore.DemandWindow window, int checkHours)
    {
        if (checkHours == 0)
        {
            return true;
        }

        var probe = Math.Min(checkHours, window.Hours);
        for (var i = 0; i < probe; i++)
        {
            if (window.Lines[i] > 0)
            {
                return true;
            }
        }

        return false;
    }
}
