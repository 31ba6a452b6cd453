using Platform.Contracts;

namespace Platform.Simulator.Import;

/// <summary>
/// Turns a history of orders into publish times: an order at time t is published at real offset
/// (t - span.First) / compression. Optionally rebases the timestamps so that the history ends at a given
/// time (usually now), because ingestion rejects events older than 30 days.
/// </summary>
/// <remarks>
/// Rebasing needs the last timestamp before the first order is published, so the caller passes the
/// <see cref="HistorySpan"/>: from <see cref="OnlineRetailCsvReader.ScanSpan"/> (a cheap first pass over the
/// files, sorted by name) or <see cref="MeasureSpan"/> (one pass over any order sequence). Rebasing shifts every
/// timestamp by the same amount, so patterns (weekdays, hours) are kept only when the shift is a whole number of
/// weeks; pass <c>alignToWeek: true</c> for that. A history longer than 30 days still has its oldest part rejected
/// as too old: replay a window of at most 30 days (for example the last 30 by-day files) or raise ingestion's
/// maximum age for a backfill.
/// </remarks>
public static class HistoryReplay
{
    /// <summary>One pass over the orders for their earliest and latest occurred_at; null when there are none.</summary>
    public static HistorySpan? MeasureSpan(IEnumerable<OrderEvent> orders)
    {
        DateTimeOffset? first = null, last = null;
        foreach (var o in orders)
        {
            if (first is null || o.OccurredAt < first) first = o.OccurredAt;
            if (last is null || o.OccurredAt > last) last = o.OccurredAt;
        }

        return first is null ? null : new HistorySpan(first.Value, last!.Value);
    }

    /// <summary>
    /// Schedules the orders in their given order. Offsets never go backwards: an order earlier than its
    /// predecessor is published right after it. With <paramref name="rebaseEndAt"/> null, timestamps are kept.
    /// </summary>
    /// <param name="compression">History seconds per real second (3600: one hour of history per second).</param>
    /// <param name="span">The history's span (see <see cref="MeasureSpan"/>).</param>
    /// <param name="rebaseEndAt">When set, shift timestamps so that <c>span.Last</c> becomes this time.</param>
    /// <param name="alignToWeek">Round the shift down to whole weeks, so each order keeps its weekday and hour (the end then lands up to 7 days before <paramref name="rebaseEndAt"/>).</param>
    public static IEnumerable<(TimeSpan RealOffset, OrderEvent Order)> Schedule(
        IEnumerable<OrderEvent> orders, double compression, HistorySpan span, DateTimeOffset? rebaseEndAt, bool alignToWeek = false)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(span);
        if (compression <= 0) throw new ArgumentOutOfRangeException(nameof(compression), "Compression must be positive.");
        var shift = RebaseShift(span, rebaseEndAt, alignToWeek);
        return Enumerate(orders, compression, span.First, shift);
    }

    /// <summary>The amount every timestamp is moved by.</summary>
    public static TimeSpan RebaseShift(HistorySpan span, DateTimeOffset? rebaseEndAt, bool alignToWeek = false)
    {
        if (rebaseEndAt is not { } end) return TimeSpan.Zero;
        var shift = end - span.Last;
        if (alignToWeek) shift = TimeSpan.FromDays(7 * Math.Floor(shift.TotalDays / 7));
        return shift;
    }

    private static IEnumerable<(TimeSpan, OrderEvent)> Enumerate(IEnumerable<OrderEvent> orders, double compression, DateTimeOffset first, TimeSpan shift)
    {
        var previous = TimeSpan.Zero;
        foreach (var order in orders)
        {
            var offset = TimeSpan.FromTicks((long)((order.OccurredAt - first).Ticks / compression));
            if (offset < previous) offset = previous;
            previous = offset;
            yield return (offset, shift == TimeSpan.Zero ? order : order with { OccurredAt = order.OccurredAt + shift });
        }
    }
}
