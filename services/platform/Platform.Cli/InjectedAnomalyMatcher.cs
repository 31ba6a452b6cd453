using Platform.Contracts;
using Platform.Forecasting.Anomaly;
using Platform.Simulator;

namespace Platform.Cli;

/// <summary>
/// Scores the demo's detections against the simulator's labels: each injected anomaly is detected when an alert on
/// alerts.anomalies names what it changed (the SKU, region or customer), with the matching kind, in its time window.
/// </summary>
/// <remarks>
/// Kind by kind: a demand spike or drop needs a demand_spike / demand_drop alert on its SKU for an hour that overlaps the
/// anomaly (up to an hour after its end, as the judge adds up evidence over whole hours); a price error an order_risk alert for an unusual
/// unit price on its SKU from an order placed during it; a customer burst an order_risk alert for customer velocity on one
/// of that customer's orders; a region outage an order_volume_drop alert on the region for a bucket that overlaps it.
/// Alerts that match no label are counted as unlabelled: bulk orders and real quirks of the simulated traffic raise
/// some, so they are not all false alarms, but a rise in them is a loss of precision.
/// </remarks>
internal static class InjectedAnomalyMatcher
{
    private static readonly TimeSpan HourSlack = TimeSpan.FromHours(1);

    public sealed record Outcome(InjectedAnomaly Anomaly, AnomalyAlert? DetectedBy);

    public sealed record Result(IReadOnlyList<Outcome> Outcomes, IReadOnlyDictionary<string, int> UnlabelledByKind, IReadOnlyList<AnomalyAlert> UnlabelledExamples)
    {
        public int UnlabelledAlerts => UnlabelledByKind.Values.Sum();

        public int Detected => Outcomes.Count(o => o.DetectedBy is not null);
    }

    /// <param name="customerOfOrder">Customer id of each order the simulator published (at least those of bursting customers).</param>
    public static Result Match(IReadOnlyList<InjectedAnomaly> injected, IReadOnlyList<AnomalyAlert> alerts, IReadOnlyDictionary<string, string> customerOfOrder)
    {
        var used = new HashSet<AnomalyAlert>(ReferenceEqualityComparer.Instance);
        var outcomes = new List<Outcome>(injected.Count);
        foreach (var anomaly in injected)
        {
            // Anomalies of one kind on one target that overlap are one incident to a detector (one alert, until it ends):
            // each of them is judged over their union.
            var union = injected.Where(other => other.Kind == anomaly.Kind && Target(other) == Target(anomaly) && other.Start < anomaly.End && other.End > anomaly.Start)
                .Aggregate(anomaly, (u, other) => u with { Start = other.Start < u.Start ? other.Start : u.Start, End = other.End > u.End ? other.End : u.End });
            var match = alerts.FirstOrDefault(alert => Explains(union, alert, customerOfOrder));
            if (match is not null)
            {
                used.Add(match);
            }

            outcomes.Add(new Outcome(anomaly, match));
        }

        var unexplained = alerts
            .Where(alert => alert.Kind != AnomalyKinds.StockoutRisk && !used.Contains(alert) && !injected.Any(anomaly => Explains(anomaly, alert, customerOfOrder)))
            .ToList();
        var unlabelled = unexplained.GroupBy(alert => alert.Kind == AnomalyKinds.OrderRisk ? $"{alert.Kind}:{Reason(alert)}" : alert.Kind)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new Result(outcomes, unlabelled, unexplained.OrderByDescending(a => a.Score).Take(5).ToList());
    }

    public static bool Explains(InjectedAnomaly anomaly, AnomalyAlert alert, IReadOnlyDictionary<string, string> customerOfOrder) => anomaly.Kind switch
    {
        SimulatedAnomalyKinds.DemandSpike => alert.Kind == AnomalyKinds.DemandSpike && alert.Sku == anomaly.Sku && Overlaps(alert, anomaly, HourSlack),
        SimulatedAnomalyKinds.DemandDrop => alert.Kind == AnomalyKinds.DemandDrop && alert.Sku == anomaly.Sku && Overlaps(alert, anomaly, HourSlack),
        SimulatedAnomalyKinds.PriceError => alert.Kind == AnomalyKinds.OrderRisk && alert.Sku == anomaly.Sku && Reason(alert) == RiskReasons.UnitPrice
            && alert.WindowStart >= anomaly.Start && alert.WindowStart <= anomaly.End,
        SimulatedAnomalyKinds.CustomerBurst => alert.Kind == AnomalyKinds.OrderRisk && Reason(alert) == RiskReasons.CustomerVelocity
            && OrderOf(alert) is { } order && customerOfOrder.TryGetValue(order, out var customer) && customer == anomaly.CustomerId
            && alert.WindowStart >= anomaly.Start && alert.WindowStart <= anomaly.End + HourSlack,
        SimulatedAnomalyKinds.RegionOutage => alert.Kind == AnomalyKinds.OrderVolumeDrop
            && string.Equals(alert.Region, anomaly.Region, StringComparison.OrdinalIgnoreCase) && Overlaps(alert, anomaly, TimeSpan.Zero),
        _ => false,
    };

    // The alert's window must overlap the anomaly, or come at most lateSlack after its end (evidence adds up over hours).
    private static string? Target(InjectedAnomaly anomaly) => anomaly.Sku ?? anomaly.Region ?? anomaly.CustomerId;

    private static bool Overlaps(AnomalyAlert alert, InjectedAnomaly anomaly, TimeSpan lateSlack) =>
        alert.WindowStart < anomaly.End + lateSlack && alert.WindowEnd > anomaly.Start;

    // Order-risk alert ids are "order_risk:{order id}:{reason}:{target}" (the inference service's OrderRiskMonitor).
    private static string? Reason(AnomalyAlert alert) => Parts(alert) is { } parts ? parts.Reason : null;

    private static string? OrderOf(AnomalyAlert alert) => Parts(alert) is { } parts ? parts.Order : null;

    private static (string Order, string Reason)? Parts(AnomalyAlert alert)
    {
        var prefix = AnomalyKinds.OrderRisk + ":";
        if (!alert.AlertId.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = alert.AlertId.AsSpan(prefix.Length);
        foreach (var reason in (string[])[RiskReasons.UnitPrice, RiskReasons.Quantity, RiskReasons.CustomerVelocity])
        {
            var at = rest.IndexOf(":" + reason + ":", StringComparison.Ordinal);
            if (at > 0)
            {
                return (rest[..at].ToString(), reason);
            }
        }

        return null;
    }
}
