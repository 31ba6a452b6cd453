using System.Globalization;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.Forecasting.Anomaly;

namespace Platform.Inference.Pipeline;

/// <summary>
/// A region's orders falling away (checkout or payment down there, a CDN outage): per event-time bucket, each region's
/// orders are judged against its usual share of all orders in the same bucket. Judging shares rather than counts makes the
/// daily and weekly cycle and promotions cancel out: a region at 3 % of its share in a busy hour is an outage whatever
/// the hour. One alert per incident; the evidence adds up over consecutive buckets, as the demand judge's does.
/// </summary>
/// <remarks>
/// <para>Orders are counted by their first line (line number 1). orders.validated is keyed by SKU, so each instance sees
/// the first lines of the orders whose first SKU is in its partitions: a random subset that keeps every region's share,
/// and across the fleet every order is counted once.</para>
/// <para>A bucket is judged once event time is <see cref="AnomalyOptions.RegionLateness"/> past its end; lines for a bucket
/// already judged are late and not counted. Shares are learned (exponentially weighted) from the buckets judged normal,
/// after <see cref="AnomalyOptions.RegionWarmUpBuckets"/> buckets; a bucket inside an incident does not teach them.</para>
/// <para>The state changes only through <see cref="Commit"/>, after the batch's outputs are acknowledged, so a retried batch
/// is counted and judged again from the same state. It lives in memory and warms up again after a restart.</para>
/// </remarks>
internal sealed class RegionVolumeMonitor(AnomalyOptions options)
{
    /// <summary>What the alerts name as their model: the share baseline, not the demand model.</summary>
    public const string DetectorName = "region_share";

    private const double ShareLearningRate = 0.1;

    private State _state = new();

    /// <summary>Counts the batch's first lines and judges the buckets that closed; the state moves on only at <see cref="Commit"/>.</summary>
    public Pending Observe(
        IReadOnlyList<(ConsumeResult<byte[]?, byte[]?> Record, OrderLineValidated Line)> lines, DateTimeOffset now, Func<ConsumeResult<byte[]?, byte[]?>, string?> traceOf)
    {
        var next = _state.Clone();
        var alerts = new List<(ConsumeResult<byte[]?, byte[]?>, AnomalyAlert)>();
        var bucketTicks = options.RegionBucket.Ticks;
        ConsumeResult<byte[]?, byte[]?>? last = null;
        foreach (var (record, line) in lines)
        {
            if (line.Kind != OrderLineKinds.Sale || line.LineNumber != 1 || string.IsNullOrEmpty(line.Region))
            {
                continue;
            }

            last = record;
            var ticks = line.OccurredAt.UtcTicks;
            var bucket = ticks / bucketTicks;
            next.MaxTicks = Math.Max(next.MaxTicks, ticks);
            if (bucket <= next.JudgedThrough)
            {
                next.Late++;
                continue;
            }

            if (!next.Open.TryGetValue(bucket, out var counts))
            {
                next.Open[bucket] = counts = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            counts[line.Region] = counts.GetValueOrDefault(line.Region) + 1;
            next.Regions.Add(line.Region);
        }

        if (last is not null)
        {
            // Judge every bucket whose end is RegionLateness behind the latest event time seen.
            var closedThrough = (next.MaxTicks - options.RegionLateness.Ticks) / bucketTicks - 1;
            foreach (var bucket in next.Open.Keys.Where(b => b <= closedThrough).Order().ToList())
            {
                Judge(next, bucket, next.Open[bucket], now, last, traceOf(last), alerts);
                next.Open.Remove(bucket);
                next.JudgedThrough = bucket;
            }
        }

        return new Pending(next, alerts);
    }

    public void Commit(Pending pending) => _state = pending.Next;

    private void Judge(State state, long bucket, Dictionary<string, int> counts, DateTimeOffset now,
        ConsumeResult<byte[]?, byte[]?> source, string? traceId, List<(ConsumeResult<byte[]?, byte[]?>, AnomalyAlert)> alerts)
    {
        double total = counts.Values.Sum();
        var warm = state.Buckets >= options.RegionWarmUpBuckets;
        var anyIncident = false;
        foreach (var region in state.Regions.Order(StringComparer.Ordinal))
        {
            var observed = counts.GetValueOrDefault(region);
            var incident = state.Incidents.GetValueOrDefault(region);
            if (!warm || !state.Shares.TryGetValue(region, out var share))
            {
                continue;
            }

            var expected = share * total;
            if (expected < options.RegionMinExpectedOrders)
            {
                incident.ZCount = 0;
                state.Incidents[region] = incident;
                continue;
            }

            var variance = options.LineDispersion * (expected + 1) + Math.Pow(options.RelativeModelError * expected, 2);
            var log10P = AnomalyScore.Log10CountTwoSidedTail(observed, expected, variance, 1);
            var z = observed < expected ? -AnomalyScore.ZFromLog10TwoSided(log10P) : 0;
            var consecutive = incident.ZCount > 0 && incident.ZBucket == bucket - 1;
            var evidence = z;
            if (consecutive)
            {
                evidence = Math.Min(evidence, (z + incident.Z1) / Math.Sqrt(2));
                if (incident.ZCount > 1) evidence = Math.Min(evidence, (z + incident.Z1 + incident.Z2) / Math.Sqrt(3));
            }

            incident.Z2 = consecutive ? incident.Z1 : 0;
            incident.Z1 = z;
            incident.ZCount = consecutive ? Math.Min(incident.ZCount + 1, 2) : 1;
            incident.ZBucket = bucket;

            var score = AnomalyScore.FromTwoSidedZ(evidence);
            if (evidence < 0 && score >= options.RegionThreshold && observed < expected)
            {
                incident.NormalRun = 0;
                anyIncident = true;
                if (!incident.Open)
                {
                    incident.Open = true;
                    alerts.Add((source, Alert(region, bucket, observed, expected, variance, score, now, traceId)));
                }
            }
            else if (incident.Open && ++incident.NormalRun >= options.IncidentEndAfter)
            {
                incident.Open = false;
            }

            anyIncident |= incident.Open;
            state.Incidents[region] = incident;
        }

        state.Buckets++;
        if (anyIncident || total <= 0)
        {
            return;
        }

        // Learn the shares from normal buckets only: an outage must not become the region's usual share.
        var rate = state.Shares.Count == 0 ? 1 : Math.Max(ShareLearningRate, 1.0 / state.Buckets);
        foreach (var region in state.Regions)
        {
            var share = counts.GetValueOrDefault(region) / total;
            state.Shares[region] = state.Shares.TryGetValue(region, out var old) ? old + rate * (share - old) : share;
        }
    }

    private AnomalyAlert Alert(string region, long bucket, int observed, double expected, double variance, double score, DateTimeOffset now, string? traceId)
    {
        var inv = CultureInfo.InvariantCulture;
        var start = new DateTimeOffset(bucket * options.RegionBucket.Ticks, TimeSpan.Zero);
        var sd = Math.Sqrt(variance);
        return new AnomalyAlert
        {
            AlertId = string.Create(inv, $"{AnomalyKinds.OrderVolumeDrop}:{region}:{start:yyyyMMddTHHmm}"),
            Kind = AnomalyKinds.OrderVolumeDrop,
            Sku = "",
            Region = region,
            Severity = AlertSeverity.For(score, options.CriticalScore),
            Score = score,
            Observed = observed,
            ExpectedP10 = Math.Max(0, expected - 1.2816 * sd),
            ExpectedP50 = expected,
            ExpectedP90 = expected + 1.2816 * sd,
            WindowStart = start,
            WindowEnd = start + options.RegionBucket,
            DetectedAt = now,
            ModelVersion = DetectorName,
            TraceId = traceId,
            Summary = string.Create(inv,
                $"Orders from region {region} dropped: {observed} in the {options.RegionBucket.TotalMinutes:0} minutes from {start:yyyy-MM-dd HH:mm} UTC against {expected:0.#} expected from its usual share."),
            Contributors = [new AnomalyContributor { Name = "orders_vs_expected", Value = observed, Baseline = Math.Round(expected, 2) }],
        };
    }

    /// <summary>The state a batch leads to and the alerts it raised; <see cref="Commit"/> it once the alerts are in Kafka.</summary>
    public sealed record Pending(State Next, List<(ConsumeResult<byte[]?, byte[]?> Source, AnomalyAlert Alert)> Alerts);

    internal sealed class State
    {
        public Dictionary<long, Dictionary<string, int>> Open { get; private init; } = [];

        public Dictionary<string, double> Shares { get; private init; } = new(StringComparer.Ordinal);

        public Dictionary<string, RegionIncident> Incidents { get; private init; } = new(StringComparer.Ordinal);

        public HashSet<string> Regions { get; private init; } = new(StringComparer.Ordinal);

        public long MaxTicks { get; set; } = long.MinValue;

        public long JudgedThrough { get; set; } = long.MinValue;

        public long Buckets { get; set; }

        public long Late { get; set; }

        public State Clone() => new()
        {
            Open = Open.ToDictionary(kv => kv.Key, kv => new Dictionary<string, int>(kv.Value, StringComparer.Ordinal)),
            Shares = new Dictionary<string, double>(Shares, StringComparer.Ordinal),
            Incidents = new Dictionary<string, RegionIncident>(Incidents, StringComparer.Ordinal),
            Regions = new HashSet<string>(Regions, StringComparer.Ordinal),
            MaxTicks = MaxTicks,
            JudgedThrough = JudgedThrough,
            Buckets = Buckets,
            Late = Late,
        };
    }

    internal struct RegionIncident
    {
        public bool Open;
        public int NormalRun;
        public int ZCount;
        public long ZBucket;
        public double Z1;
        public double Z2;
    }
}
