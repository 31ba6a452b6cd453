namespace Platform.Simulator;

/// <summary>
/// Settings of one simulator run. The defaults are tuned against the UCI Online Retail data (see docs/simulator.md).
/// </summary>
/// <remarks>
/// Time: simulated time runs <see cref="TimeCompression"/> times faster than real time. An event at simulated
/// time t is meant to be published at real offset (t - <see cref="SimulatedStart"/>) / TimeCompression.
/// Ingestion rejects events more than 5 minutes in the future and more than 30 days old (wall clock), so a
/// live run should set <c>SimulatedStart = now - realDuration * TimeCompression</c>: the stream then ends
/// near now and every event is in the past when it is published. The simulated span
/// (realDuration * TimeCompression) must stay under 30 days, or the oldest events are rejected as too old
/// (at the default 3600x: at most 720 real seconds).
/// </remarks>
public sealed class SimulatorOptions
{
    /// <summary>Same seed and options give the same byte sequence.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// Seed of the catalog (SKUs, categories, prices, popularity); null: <see cref="Seed"/>. A run that continues another
    /// (history first, then a live stream) keeps the catalog and changes <see cref="Seed"/> for fresh events.
    /// </summary>
    public int? CatalogSeed { get; set; }

    /// <summary>Number of SKUs in the catalog.</summary>
    public int SkuCount { get; set; } = 1000;

    /// <summary>Simulated time of real offset zero. Defaults to 2026-01-05T00:00Z (a Monday) so runs are reproducible.</summary>
    public DateTimeOffset SimulatedStart { get; set; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Wall-clock time at which real offset zero will be published. Only used to make the timestamp_too_old and
    /// timestamp_in_future malformed events fail against the validator's wall clock. Default:
    /// SimulatedStart + realDuration * TimeCompression (the recommended live setup, where the stream ends at now).
    /// </summary>
    public DateTimeOffset? WallClockStart { get; set; }

    /// <summary>Simulated seconds per real second.</summary>
    public double TimeCompression { get; set; } = 3600;

    /// <summary>Mean real-time rate of valid orders over a week; seasonality, trend and holidays modulate around it.</summary>
    public double MeanOrdersPerSecond { get; set; } = 1000;

    /// <summary>Expected share of all events that are malformed (one kind per rejection reason).</summary>
    public double MalformedShare { get; set; } = 0.02;

    /// <summary>Expected share of all events that are exact re-sends of an earlier event.</summary>
    public double DuplicateShare { get; set; } = 0.01;

    /// <summary>Share of placed orders that are later cancelled (an order_cancelled event of their own).</summary>
    public double CancellationShare { get; set; } = 0.03;

    /// <summary>Mean number of labelled anomalies per simulated day (Poisson).</summary>
    public double AnomaliesPerSimulatedDay { get; set; } = 4;

    /// <summary>
    /// Earliest simulated start of a labelled anomaly; null: the run's start. Detectors need some normal traffic first
    /// (price and velocity baselines), so a live demo starts its anomalies after a warm-up.
    /// </summary>
    public DateTimeOffset? AnomaliesNotBefore { get; set; }

    /// <summary>
    /// Latest simulated end of a labelled anomaly; null: the run's end. A run that keeps streaming normal traffic after
    /// this (a cool-down) lets event-time detectors close the hours the anomalies are in.
    /// </summary>
    public DateTimeOffset? AnomaliesNotAfter { get; set; }

    /// <summary>Mean number of promotions starting per simulated day (Poisson).</summary>
    public double PromotionsPerSimulatedDay { get; set; } = 3;

    /// <summary>Regular price changes per SKU per simulated year.</summary>
    public double PriceChangesPerSkuPerYear { get; set; } = 4;

    /// <summary>Number of regions (at most 12 named ones; more are named region-13 and so on).</summary>
    public int RegionCount { get; set; } = 6;

    public int CustomerCount { get; set; } = 20_000;

    /// <summary>Share of orders without a customer id (guest checkout).</summary>
    public double GuestShare { get; set; } = 0.12;

    /// <summary>ISO 4217 code of every valid order.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>Prefix of generated order ids ("{prefix}-{sequence}"); change it to avoid id clashes between runs of one seed.</summary>
    public string OrderIdPrefix { get; set; } = "SIM";

    /// <summary>Exponent s of SKU popularity: rank r (1 = most popular) gets weight 1 / (r + q)^s.</summary>
    public double PopularityExponent { get; set; } = 1.25;

    /// <summary>Offset q of SKU popularity (Zipf-Mandelbrot); flattens the very top of the head.</summary>
    public double PopularityOffset { get; set; } = 4;

    /// <summary>Share of orders with exactly one line.</summary>
    public double SingleLineShare { get; set; } = 0.11;

    /// <summary>Median of the line count of multi-line orders (log-normal).</summary>
    public double MedianLinesPerOrder { get; set; } = 16;

    /// <summary>Log-normal sigma of the line count of multi-line orders.</summary>
    public double LinesPerOrderSigma { get; set; } = 1.0;

    /// <summary>Upper bound of lines in one valid order (the validator allows 200).</summary>
    public int MaxLinesPerOrder { get; set; } = 150;

    /// <summary>Growth of the order rate per simulated year.</summary>
    public double AnnualGrowth { get; set; } = 0.15;

    /// <summary>Amplitude of the yearly cycle (peak mid-November).</summary>
    public double YearlyAmplitude { get; set; } = 0.2;

    /// <summary>Relative order rate per hour of day (UTC), 24 values; normalised. Default: the Online Retail shape with a small night floor.</summary>
    public double[] HourOfDayWeights { get; set; } =
    [
        0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.003, 0.006, 0.026, 0.073, 0.121, 0.121,
        0.155, 0.132, 0.121, 0.122, 0.066, 0.035, 0.012, 0.009, 0.004, 0.003, 0.002, 0.002,
    ];

    /// <summary>Relative order rate per day of week, Monday first, 7 values; normalised. Default: the Online Retail shape, plus a quiet Saturday.</summary>
    public double[] DayOfWeekWeights { get; set; } = [0.150, 0.178, 0.189, 0.211, 0.156, 0.016, 0.100];

    internal void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }

        Check(SkuCount >= 10, "SkuCount must be at least 10.");
        Check(TimeCompression > 0, "TimeCompression must be positive.");
        Check(MeanOrdersPerSecond > 0, "MeanOrdersPerSecond must be positive.");
        Check(MalformedShare >= 0 && DuplicateShare >= 0 && MalformedShare + DuplicateShare < 0.9,
            "MalformedShare and DuplicateShare must be non-negative and sum to less than 0.9.");
        Check(CancellationShare is >= 0 and <= 1, "CancellationShare must be in [0, 1].");
        Check(GuestShare is >= 0 and <= 1, "GuestShare must be in [0, 1].");
        Check(SingleLineShare is >= 0 and <= 1, "SingleLineShare must be in [0, 1].");
        Check(AnomaliesPerSimulatedDay >= 0 && PromotionsPerSimulatedDay >= 0 && PriceChangesPerSkuPerYear >= 0,
            "Anomaly, promotion and price-change rates must be non-negative.");
        Check(RegionCount >= 1, "RegionCount must be at least 1.");
        Check(CustomerCount >= 1, "CustomerCount must be at least 1.");
        Check(MaxLinesPerOrder is >= 1 and <= 200, "MaxLinesPerOrder must be in [1, 200].");
        Check(MedianLinesPerOrder >= 1, "MedianLinesPerOrder must be at least 1.");
        Check(HourOfDayWeights is { Length: 24 } && HourOfDayWeights.All(w => w >= 0) && HourOfDayWeights.Sum() > 0,
            "HourOfDayWeights needs 24 non-negative weights, not all zero.");
        Check(DayOfWeekWeights is { Length: 7 } && DayOfWeekWeights.All(w => w >= 0) && DayOfWeekWeights.Sum() > 0,
            "DayOfWeekWeights needs 7 non-negative weights, not all zero.");
        Check(Currency is { Length: 3 } && Currency.All(char.IsAsciiLetterUpper), "Currency must be a 3-letter upper-case code.");
        Check(!string.IsNullOrEmpty(OrderIdPrefix) && OrderIdPrefix.Length <= 40, "OrderIdPrefix must have 1 to 40 characters.");
    }
}
