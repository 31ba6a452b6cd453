using System.Globalization;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.Forecasting.Anomaly;

namespace Platform.Inference.Pipeline;

/// <summary>
/// Order-level risk from orders.validated through the forecasting engine's <see cref="OrderRiskScorer"/> (unit price,
/// quantity, customer velocity), one scorer per service instance. orders.validated is one record per line, keyed by
/// SKU, so an order's lines are gathered back per batch (by order id, in arrival order) before scoring.
/// </summary>
/// <remarks>
/// An order whose lines come in several batches (or from partitions of another instance) is scored in parts. A part
/// after the first is scored as a guest order, so the customer's velocity counts the order once; its prices and
/// quantities are still judged. The scorer's state is in memory: after a restart it warms up again (20 lines per SKU
/// for prices and quantities, 2,000 orders for velocity; docs/inference.md).
/// </remarks>
internal sealed class OrderRiskMonitor
{
    private const int RememberedOrders = 100_000;

    private readonly AnomalyOptions _options;
    private readonly OrderRiskScorer _scorer;
    private readonly HashSet<string> _seenOrders = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();

    public OrderRiskMonitor(AnomalyOptions options)
    {
        _options = options;
        _scorer = new OrderRiskScorer(new OrderRiskOptions { Threshold = options.OrderRiskThreshold });
    }

    /// <summary>Scores the batch's sale lines as orders; returns each alert with the record it is attributed to (the order's last line).</summary>
    public List<(ConsumeResult<byte[]?, byte[]?> Source, AnomalyAlert Alert)> Observe(
        IReadOnlyList<(ConsumeResult<byte[]?, byte[]?> Record, OrderLineValidated Line)> lines, DateTimeOffset now, Func<ConsumeResult<byte[]?, byte[]?>, string?> traceOf)
    {
        var alerts = new List<(ConsumeResult<byte[]?, byte[]?>, AnomalyAlert)>();
        var orders = new Dictionary<string, List<(ConsumeResult<byte[]?, byte[]?> Record, OrderLineValidated Line)>>(StringComparer.Ordinal);
        foreach (var entry in lines)
        {
            if (entry.Line.Kind != OrderLineKinds.Sale || entry.Line.Quantity <= 0)
            {
                continue;
            }

            if (!orders.TryGetValue(entry.Line.OrderId, out var group))
            {
                orders[entry.Line.OrderId] = group = [];
            }

            group.Add(entry);
        }

        foreach (var (orderId, group) in orders)
        {
            var first = group[0].Line;
            var repeat = !Remember(orderId);
            var order = new OrderEvent
            {
                EventType = OrderEventTypes.Placed,
                OrderId = orderId,
                CustomerId = repeat ? null : first.CustomerHash,
                OccurredAt = first.OccurredAt,
                Currency = first.Currency,
                Region = first.Region,
                Channel = first.Channel,
                Lines = group.Select(g => new OrderLine
                {
                    Sku = g.Line.Sku, Quantity = g.Line.Quantity, UnitPrice = g.Line.UnitPrice, PromotionId = g.Line.PromotionId, Category = g.Line.Category,
                }).ToArray(),
            };
            var risk = _scorer.Score(order);
            var source = group[^1].Record;
            foreach (var incident in risk.NewIncidents)
            {
                alerts.Add((source, Alert(order, risk, incident, now, traceOf(source))));
            }
        }

        return alerts;
    }

    private AnomalyAlert Alert(OrderEvent order, OrderRisk risk, RiskIncident incident, DateTimeOffset now, string? traceId)
    {
        var inv = CultureInfo.InvariantCulture;
        var onSku = incident.Reason is RiskReasons.UnitPrice or RiskReasons.Quantity;
        var sku = onSku ? incident.Target : order.Lines[0].Sku;
        var contributor = risk.Contributors.FirstOrDefault(c => c.Name.StartsWith(incident.Reason == RiskReasons.CustomerVelocity ? "customer_orders" : incident.Reason + ":" + incident.Target, StringComparison.Ordinal))
            ?? risk.Contributors.FirstOrDefault();
        var what = incident.Reason switch
        {
            RiskReasons.UnitPrice => $"unit price {contributor?.Value:0.##} against a usual {contributor?.Baseline:0.##}",
            RiskReasons.Quantity => $"quantity {contributor?.Value:0} against a usual {contributor?.Baseline:0.#}",
            _ => $"customer placed {contributor?.Value:0} orders against an expected {contributor?.Baseline:0.##}",
        };
        return new AnomalyAlert
        {
            AlertId = string.Create(inv, $"{AnomalyKinds.OrderRisk}:{order.OrderId}:{incident.Reason}:{incident.Target}"),
            Kind = AnomalyKinds.OrderRisk,
            Sku = sku,
            Region = string.IsNullOrEmpty(order.Region) ? "all" : order.Region,
            Severity = AlertSeverity.For(incident.Score, _options.CriticalScore),
            Score = incident.Score,
            Observed = contributor?.Value ?? 0,
            ExpectedP10 = contributor?.Baseline ?? 0,
            ExpectedP50 = contributor?.Baseline ?? 0,
            ExpectedP90 = contributor?.Baseline ?? 0,
            WindowStart = order.OccurredAt,
            WindowEnd = order.OccurredAt,
            DetectedAt = now,
            TraceId = traceId,
            Summary = string.Create(inv, $"Risky order {order.OrderId} ({incident.Reason}) on SKU {sku}: {what}."),
            Contributors = risk.Contributors,
        };
    }

    /// <returns>False when the order id was seen recently (a later part of the same order).</returns>
    private bool Remember(string orderId)
    {
        if (!_seenOrders.Add(orderId))
        {
            return false;
        }

        _seenOrder.Enqueue(orderId);
        if (_seenOrder.Count > RememberedOrders)
        {
            _seenOrders.Remove(_seenOrder.Dequeue());
        }

        return true;
    }
}
