using Platform.Contracts;

namespace Platform.Forecasting.Data;

/// <summary>
/// Turns order events (from the simulator, an import, the offline store) into demand: the units of placed
/// order lines. Cancellations are not demand and are skipped, as are lines that are not sales (quantity or
/// price ≤ 0: the Online Retail data's stock adjustments) and, with a filter, SKUs that are not products.
/// </summary>
public static class OrderDemand
{
    /// <summary>Adds every placed line of <paramref name="orders"/> that passes <paramref name="isProduct"/> (all when null).</summary>
    public static OrderDemandSummary Add(DemandSeriesBuilder builder, IEnumerable<OrderEvent> orders, Func<string, bool>? isProduct = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(orders);
        long placed = 0, cancellations = 0, lines = 0, skipped = 0;
        foreach (var order in orders)
        {
            if (order.EventType != OrderEventTypes.Placed)
            {
                cancellations++;
                continue;
            }

            placed++;
            builder.MarkTrading(order.OccurredAt);
            foreach (var line in order.Lines)
            {
                if (line.Quantity <= 0 || line.UnitPrice <= 0 || string.IsNullOrEmpty(line.Sku) || (isProduct is not null && !isProduct(line.Sku)))
                {
                    skipped++;
                    continue;
                }

                builder.Add(line.Sku, order.OccurredAt, line.Quantity);
                lines++;
            }
        }

        return new OrderDemandSummary(placed, cancellations, lines, skipped);
    }

    /// <summary>
    /// Online Retail stock codes of products start with a digit ("85123A", "22423"); the others are postage,
    /// fees and manual entries (POST, DOT, M, BANK CHARGES, AMAZONFEE, C2), not demand for a product.
    /// </summary>
    public static bool IsOnlineRetailProduct(string stockCode) => stockCode.Length > 0 && char.IsAsciiDigit(stockCode[0]);
}
