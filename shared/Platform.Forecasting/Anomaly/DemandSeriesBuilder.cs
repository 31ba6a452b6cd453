using Platform.Contracts;

namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Aggregates placed orders into one regular series per SKU: units or lines per period from <see cref="Start"/>,
/// plus whether a promotion was running (a known driver of demand, see <see cref="StreamingSeriesDetector.Observe"/>).
/// Cancellations are ignored (demand as ordered); lines before <see cref="Start"/> are ignored; periods without a
/// line are 0. Orders should come in time order: a period without lines inherits the promotion state of the SKU's
/// last line before it, because a promotion runs through the quiet night hours too.
/// </summary>
public sealed class DemandSeriesBuilder
{
    private readonly Dictionary<string, SkuSeries> _bySku = new(StringComparer.Ordinal);

    public DemandSeriesBuilder(DateTimeOffset start, TimeSpan step, DemandMeasure measure)
    {
        if (step <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be positive.");
        Start = start;
        Step = step;
        Measure = measure;
    }

    public DateTimeOffset Start { get; }

    public TimeSpan Step { get; }

    public DemandMeasure Measure { get; }

    public void Add(OrderEvent order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.EventType != OrderEventTypes.Placed || order.OccurredAt < Start) return;
        var period = (int)((order.OccurredAt - Start).Ticks / Step.Ticks);
        foreach (var line in order.Lines)
        {
            if (string.IsNullOrEmpty(line.Sku) || line.Quantity <= 0) continue;
            if (!_bySku.TryGetValue(line.Sku, out var sku)) _bySku[line.Sku] = sku = new SkuSeries();
            sku.Add(period, Measure == DemandMeasure.Units ? line.Quantity : 1, line.PromotionId is not null);
        }
    }

    /// <summary>One series per SKU seen, ordered by SKU, each <paramref name="periods"/> long (zero-filled; later lines dropped).</summary>
    public IReadOnlyList<DemandSeries> Build(int periods)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periods);
        return _bySku.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x =>
        {
            var values = new double[periods];
            var promoted = new bool[periods];
            var known = false;
            for (var i = 0; i < periods; i++)
            {
                if (i < x.Value.Values.Count)
                {
                    values[i] = x.Value.Values[i];
                    known = x.Value.State[i] switch { PromotionState.Promoted => true, PromotionState.Regular => false, _ => known };
                }

                promoted[i] = known;
            }

            return new DemandSeries(new TimeSeries(x.Key, Start.UtcDateTime, Step, values), promoted);
        }).ToArray();
    }

    private enum PromotionState : byte
    {
        NoLines = 0,
        Regular = 1,
        Promoted = 2,
    }

    private sealed class SkuSeries
    {
        public List<double> Values { get; } = [];

        public List<PromotionState> State { get; } = [];

        public void Add(int period, double amount, bool promoted)
        {
            while (Values.Count <= period)
            {
                Values.Add(0);
                State.Add(PromotionState.NoLines);
            }

            Values[period] += amount;
            // Any promoted line marks the period: the uplift is in its total.
            if (promoted || State[period] == PromotionState.NoLines) State[period] = promoted ? PromotionState.Promoted : PromotionState.Regular;
        }
    }
}
