using Platform.Forecasting.Anomaly;
using Platform.OnlineStore;

namespace Platform.Inference.Pipeline;

/// <summary>
/// A SKU's order lines in the same hour of the day on the days before a judged hour, from its demand window: what the
/// demand judge holds an alert against besides the forecast. A model can be wrong by itself: the demo's bootstrap model
/// put P10 = P50 = P90 = 0 on night hours of SKUs that sell a dozen lines every night (each such hour a "spike"), and
/// forecast 50 lines for small SKUs that sell three (each quiet hour a "drop"). A spike must also top the SKU's busiest
/// same hour of the days before, a drop must also fall below their mean.
/// </summary>
/// <remarks>
/// The yardsticks are asymmetric because the days before include the weekend (a tenth of a weekday's orders in the
/// simulator, as in many shops) and a window of 168 hours holds no same hour of the same weekday: their busiest hour is a
/// weekday's, their mean is lowered by the weekend, so both err towards letting the forecast decide.
/// </remarks>
/// <param name="Days">Days that had the hour in the window (at most 7).</param>
/// <param name="Mean">Mean lines in those hours.</param>
/// <param name="Max">The most lines in one of them.</param>
internal readonly record struct SameHourHistory(int Days, double Mean, int Max)
{
    /// <summary>Fewer days than this say too little: the forecast is judged alone.</summary>
    public const int MinDays = 3;

    public static SameHourHistory Of(DemandWindow window, int index)
    {
        double sum = 0;
        int days = 0, max = 0;
        for (var back = index - 24; back >= 0 && days < 7; back -= 24)
        {
            var lines = window.Lines[back];
            sum += lines;
            max = Math.Max(max, lines);
            days++;
        }

        return days == 0 ? default : new SameHourHistory(days, sum / days, max);
    }

    /// <summary>
    /// Whether <paramref name="lines"/> also stands out against these days: a spike above their busiest hour with a score
    /// of at least <see cref="AnomalyOptions.SpikeHistoryScore"/>, a drop below their mean with a score of at least
    /// <see cref="AnomalyOptions.DropHistoryScore"/>. True with too few days, or with the check off (score 0).
    /// </summary>
    public bool AlsoUnusual(int lines, AnomalyDirection direction, AnomalyOptions options)
    {
        var (yardstick, needed) = direction == AnomalyDirection.Spike ? ((double)Max, options.SpikeHistoryScore) : (Mean, options.DropHistoryScore);
        if (Days < MinDays || needed <= 0)
        {
            return true;
        }

        if (direction == AnomalyDirection.Spike ? lines <= yardstick : lines >= yardstick)
        {
            return false;
        }

        // Counting noise and the judge's relative error only: the days' own spread is mostly weekday against weekend.
        var variance = options.LineDispersion * (yardstick + 1) + Math.Pow(options.RelativeModelError * yardstick, 2);
        return AnomalyScore.FromLog10P(AnomalyScore.Log10CountTwoSidedTail(lines, yardstick, variance, 1)) >= needed;
    }
}
