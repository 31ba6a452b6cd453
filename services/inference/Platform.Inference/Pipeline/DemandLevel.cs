using System.Globalization;
using Platform.Contracts;
using Platform.Forecasting.Anomaly;

namespace Platform.Inference.Pipeline;

/// <summary>
/// The shop's demand against its forecasts, hour by hour: the order lines of every judged SKU-hour over the lines their
/// forecasts expected. On a day the model cannot know (Black Friday, a campaign, a national holiday, a site-wide
/// outage) every SKU moves together; judging each SKU against its forecast alone would raise one alert per SKU for what
/// is one event. The demand judge therefore scales each SKU's expectation by the level of the hours just before
/// (<see cref="Pending.LevelBefore"/>), so a SKU is flagged for moving against the shop, and the shop's own
/// shift is raised once, as a shop-wide spike or drop (empty SKU, region <c>all</c>).
/// </summary>
/// <remarks>
/// <para>Each SKU-hour counts with its lines clipped to a quarter and four times its expectation, and SKUs in an open
/// incident or promoted hours do not count: one SKU's ×10 spike must not lift every other SKU's expectation.</para>
/// <para>Each instance sees the SKUs of its partitions, a random subset of the catalog, so its level estimates the
/// shop's. Hours change only at <see cref="Commit"/>, after the batch's outputs are acknowledged, so a retried batch
/// counts once. The level lives in memory; after a restart it is 1 until <see cref="AnomalyOptions.LevelMinLines"/>
/// expected lines were seen again.</para>
/// </remarks>
internal sealed class DemandLevel(AnomalyOptions options)
{
    /// <summary>What the alerts name as their model: the level of all forecasts, not one SKU's.</summary>
    public const string DetectorName = "shop_level";

    private const double ClipFactor = 4;
    private const double MinLevel = 0.2;
    private const double MaxLevel = 5;

    /// <summary>Hours kept after the newest one: enough for the level's span and for SKUs judged late.</summary>
    private static readonly TimeSpan Keep = TimeSpan.FromHours(48);

    private readonly AnomalyOptions _options = options;
    private SortedDictionary<DateTimeOffset, HourTotals> _hours = [];
    private DateTimeOffset _judgedThrough = DateTimeOffset.MinValue;
    private AnomalyDirection _incident;
    private int _normalRun;

    /// <summary>The level the latest committed hours give (1 without enough evidence), for the metrics.</summary>
    public double Current { get; private set; } = 1;

    /// <summary>A batch's view: the committed hours plus what this batch added.</summary>
    public Pending Begin() => new(this);

    public void Commit(Pending pending)
    {
        _hours = pending.Hours;
        _judgedThrough = pending.JudgedThrough;
        _incident = pending.Incident;
        _normalRun = pending.NormalRun;
        if (_hours.Count > 0)
        {
            var newest = _hours.Keys.Last();
            foreach (var old in _hours.Keys.Where(h => h < newest - Keep).ToList())
            {
                _hours.Remove(old);
            }

            Current = pending.LevelBefore(newest.AddHours(1));
        }
    }

    internal readonly record struct HourTotals(double Observed, double Expected);

    public sealed class Pending
    {
        private readonly AnomalyOptions _options;

        internal Pending(DemandLevel level)
        {
            _options = level._options;
            Hours = new SortedDictionary<DateTimeOffset, HourTotals>(level._hours);
            JudgedThrough = level._judgedThrough;
            Incident = level._incident;
            NormalRun = level._normalRun;
        }

        internal SortedDictionary<DateTimeOffset, HourTotals> Hours { get; }

        internal DateTimeOffset JudgedThrough { get; private set; }

        internal AnomalyDirection Incident { get; private set; }

        internal int NormalRun { get; private set; }

        /// <summary>
        /// Observed over expected lines in the hours just before <paramref name="hour"/>: the newest one when it expected at
        /// least <see cref="AnomalyOptions.LevelMinLines"/> lines (so the level follows a shift within an hour), else as
        /// many as it takes, up to <see cref="AnomalyOptions.LevelHours"/>; 1 when even those expected fewer.
        /// </summary>
        public double LevelBefore(DateTimeOffset hour)
        {
            double observed = 0, expected = 0;
            for (var back = 1; back <= _options.LevelHours && expected < _options.LevelMinLines; back++)
            {
                if (Hours.TryGetValue(hour.AddHours(-back), out var totals))
                {
                    observed += totals.Observed;
                    expected += totals.Expected;
                }
            }

            return expected < _options.LevelMinLines ? 1 : Math.Clamp(observed / expected, MinLevel, MaxLevel);
        }

        /// <summary>Counts one judged SKU-hour: its lines and the lines its forecast expected (before any level).</summary>
        public void Add(DateTimeOffset hour, double lines, double expectedLines)
        {
            if (_options.LevelHours == 0 || !(expectedLines > 0) || hour <= JudgedThrough)
            {
                return;
            }

            var clipped = Math.Clamp(lines, expectedLines / ClipFactor, expectedLines * ClipFactor);
            var totals = Hours.GetValueOrDefault(hour);
            Hours[hour] = new HourTotals(totals.Observed + clipped, totals.Expected + expectedLines);
        }

        /// <summary>
        /// Judges the shop's hours that are settled (two newer hours have lines, so their SKUs have been judged): one alert
        /// when the shop's lines left the forecasts' range, then none until <see cref="AnomalyOptions.IncidentEndAfter"/>
        /// normal hours.
        /// </summary>
        public List<AnomalyAlert> JudgeSettledHours(DateTimeOffset now, string? traceId)
        {
            var alerts = new List<AnomalyAlert>();
            if (Hours.Count == 0 || _options.LevelHours == 0)
            {
                return alerts;
            }

            var settledBefore = Hours.Keys.Last().AddHours(-1);
            foreach (var (hour, totals) in Hours.Where(h => h.Key > JudgedThrough && h.Key < settledBefore).ToList())
            {
                JudgedThrough = hour;
                if (totals.Expected < _options.LevelMinLines)
                {
                    continue;
                }

                // The forecasts' own error is the noise here, not counting: at thousands of lines a 10 % miss is ordinary.
                var variance = _options.LineDispersion * (totals.Expected + 1) + Math.Pow(_options.RelativeModelError * totals.Expected, 2);
                var log10P = AnomalyScore.Log10CountTwoSidedTail(totals.Observed, totals.Expected, variance, 1);
                var score = AnomalyScore.FromLog10P(log10P);
                var direction = score < _options.DemandThreshold ? AnomalyDirection.None
                    : totals.Observed > totals.Expected ? AnomalyDirection.Spike : AnomalyDirection.Drop;
                if (direction == AnomalyDirection.None)
                {
                    if (Incident != AnomalyDirection.None && ++NormalRun >= _options.IncidentEndAfter)
                    {
                        Incident = AnomalyDirection.None;
                    }

                    continue;
                }

                NormalRun = 0;
                if (Incident == direction)
                {
                    continue;
                }

                Incident = direction;
                alerts.Add(Alert(hour, totals, direction, score, now, traceId));
            }

            return alerts;
        }

        private AnomalyAlert Alert(DateTimeOffset hour, HourTotals totals, AnomalyDirection direction, double score, DateTimeOffset now, string? traceId)
        {
            var inv = CultureInfo.InvariantCulture;
            var kind = direction == AnomalyDirection.Spike ? AnomalyKinds.DemandSpike : AnomalyKinds.DemandDrop;
            var ratio = totals.Observed / totals.Expected;
            var sd = Math.Sqrt(_options.LineDispersion * (totals.Expected + 1) + Math.Pow(_options.RelativeModelError * totals.Expected, 2));
            return new AnomalyAlert
            {
                AlertId = string.Create(inv, $"{kind}:shop:{hour:yyyyMMddTHH}"),
                Kind = kind,
                Sku = "",
                Region = "all",
                Severity = AlertSeverity.For(score, _options.CriticalScore),
                Score = score,
                Observed = Math.Round(totals.Observed),
                ExpectedP10 = Math.Max(0, totals.Expected - 1.2816 * sd),
                ExpectedP50 = totals.Expected,
                ExpectedP90 = totals.Expected + 1.2816 * sd,
                WindowStart = hour,
                WindowEnd = hour.AddHours(1),
                DetectedAt = now,
                ModelVersion = DetectorName,
                TraceId = traceId,
                Summary = string.Create(inv,
                    $"Shop-wide demand {(direction == AnomalyDirection.Spike ? "spike" : "drop")}: {totals.Observed:0} order lines over the judged SKUs in the hour from {hour:yyyy-MM-dd HH:mm} UTC against {totals.Expected:0} forecast (×{ratio:0.00}). Every SKU moved together (a holiday, a campaign or an outage the model does not know); SKU alerts are judged against this level."),
                Contributors = [new AnomalyContributor { Name = "order_lines_vs_forecast", Value = Math.Round(totals.Observed), Baseline = Math.Round(totals.Expected, 1) }],
            };
        }
    }
}
