namespace Platform.Simulator;

/// <summary>
/// Generates a realistic, labelled stream of order events (see docs/simulator.md). Deterministic: the same
/// options give the same bytes. The stream is lazy, so a long run never holds its events in memory.
/// </summary>
public sealed class OrderSimulator
{
    private readonly SimulatorOptions _options;

    public OrderSimulator(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Catalog = new Catalog(options.SkuCount, options.PopularityExponent, options.PopularityOffset,
            new Prng(unchecked((ulong)(options.CatalogSeed ?? options.Seed) * 0x9E3779B97F4A7C15UL + 2)));
        Regions = Platform.Simulator.Regions.Names(options.RegionCount);
    }

    public SimulatorOptions Options => _options;

    public Catalog Catalog { get; }

    public IReadOnlyList<string> Regions { get; }

    /// <summary>The labelled anomalies of the last <see cref="Generate"/> call (planned when it is called, before enumeration).</summary>
    public IReadOnlyList<InjectedAnomaly> Anomalies { get; private set; } = [];

    /// <summary>The promotions of the last <see cref="Generate"/> call: expected uplifts, not anomalies.</summary>
    public IReadOnlyList<Promotion> Promotions { get; private set; } = [];

    /// <summary>Simulated end of the last <see cref="Generate"/> call.</summary>
    public DateTimeOffset SimulatedEnd { get; private set; }

    /// <summary>
    /// Plans anomalies and promotions for <paramref name="realDuration"/> of real time
    /// (realDuration x TimeCompression of simulated time) and returns the events ordered by
    /// <see cref="SimulatedEvent.RealOffset"/>. Each enumeration starts again and yields the same events.
    /// </summary>
    public IEnumerable<SimulatedEvent> Generate(TimeSpan realDuration)
    {
        if (realDuration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(realDuration), "The duration must be positive.");
        var start = _options.SimulatedStart;
        var end = start + TimeSpan.FromTicks((long)(realDuration.Ticks * _options.TimeCompression));
        var (anomalies, promotions) = AnomalyPlanner.Plan(_options, Catalog, Regions, start, end);
        Anomalies = anomalies;
        Promotions = promotions;
        SimulatedEnd = end;
        return Enumerate(anomalies, promotions, realDuration);
    }

    private IEnumerable<SimulatedEvent> Enumerate(IReadOnlyList<InjectedAnomaly> anomalies, IReadOnlyList<Promotion> promotions, TimeSpan realDuration)
    {
        var run = new SimulationRun(_options, Catalog, anomalies, promotions, realDuration);
        foreach (var e in run.Run()) yield return e;
    }
}
