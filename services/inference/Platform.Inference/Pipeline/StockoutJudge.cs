using System.Globalization;
using Platform.Contracts;

namespace Platform.Inference.Pipeline;

/// <summary>
/// Stockout risk: on an inventory.levels message, the SKU's demand over the replenishment lead time is summed from a
/// fresh forecast; stock on hand below the P90 of that demand is a risk (at least a one-in-ten chance of running out
/// before a new order could arrive). Score = P(demand over the lead time &gt; on hand), with that demand taken as normal
/// with mean ΣP50 and standard deviation (ΣP90 − ΣP10)/2.563 (steps assumed fully correlated: the cautious choice).
/// One alert per incident: none again until the stock is back at or above the P90.
/// </summary>
/// <remarks>
/// A lead time longer than the horizon scales the horizon's sums by lead time / horizon; a lead time of a fraction of an
/// hour counts that fraction of the first step. <see cref="InventoryLevel.OnOrder"/> is reported, not counted: stock on
/// order only helps once it has arrived, which the lead time says is later.
/// </remarks>
internal sealed class StockoutJudge(AnomalyOptions options)
{
    /// <summary>z of the 90th percentile: (P90 − P10) spans 2 × 1.2816 standard deviations.</summary>
    private const double InterDecileSpan = 2 * 1.2815515655446004;

    /// <returns>Whether the SKU is at risk after this level (to keep as its state), and the alert to raise when an incident starts.</returns>
    public (bool AtRisk, AnomalyAlert? Alert) Observe(InventoryLevel level, SkuForecast forecast, bool wasAtRisk, DateTimeOffset now, string? traceId)
    {
        var lead = level.LeadTimeHours > 0 && double.IsFinite(level.LeadTimeHours) ? level.LeadTimeHours : options.DefaultLeadTimeHours;
        double p10 = 0, p50 = 0, p90 = 0;
        var horizon = forecast.Horizon;
        var covered = Math.Min(lead, horizon);
        for (var h = 0; h < horizon && h < covered; h++)
        {
            var share = Math.Min(1.0, covered - h);
            p10 += share * forecast.P10[h];
            p50 += share * forecast.P50[h];
            p90 += share * forecast.P90[h];
        }

        if (lead > horizon)
        {
            var factor = lead / horizon;
            p10 *= factor;
            p50 *= factor;
            p90 *= factor;
        }

        var onHand = level.OnHand;
        if (!double.IsFinite(onHand) || onHand >= p90)
        {
            return (false, null);
        }

        if (wasAtRisk)
        {
            return (true, null);
        }

        var sigma = (p90 - p10) / InterDecileSpan;
        var score = sigma > 1e-9 ? 1 - NormalDistribution.Cdf((onHand - p50) / sigma) : onHand < p50 ? 1 : 0.5;
        score = Math.Clamp(score, 0, 1);
        var inv = CultureInfo.InvariantCulture;
        var alert = new AnomalyAlert
        {
            AlertId = string.Create(inv, $"{AnomalyKinds.StockoutRisk}:{forecast.Sku}:{level.AsOf.ToUnixTimeMilliseconds()}"),
            Kind = AnomalyKinds.StockoutRisk,
            Sku = forecast.Sku,
            Region = string.IsNullOrEmpty(level.Region) ? "all" : level.Region,
            Severity = onHand < p50 ? AlertSeverity.Critical : AlertSeverity.Warning,
            Score = score,
            Observed = onHand,
            ExpectedP10 = p10,
            ExpectedP50 = p50,
            ExpectedP90 = p90,
            WindowStart = forecast.Origin,
            WindowEnd = forecast.Origin.AddHours(lead),
            DetectedAt = now,
            ModelVersion = forecast.ModelVersion,
            TraceId = traceId,
            Summary = string.Create(inv,
                $"Stockout risk on SKU {forecast.Sku}: {onHand:0.#} on hand, demand over the {lead:0.#} h lead time forecast at {p50:0.#} (P90 {p90:0.#}); chance of running out {score:P0}."),
            Contributors =
            [
                new AnomalyContributor { Name = "on_hand_vs_p90_lead_time_demand", Value = onHand, Baseline = p90 },
                new AnomalyContributor { Name = "on_hand_vs_p50_lead_time_demand", Value = onHand, Baseline = p50 },
                new AnomalyContributor { Name = "on_order", Value = level.OnOrder, Baseline = 0 },
            ],
        };
        return (true, alert);
    }
}
