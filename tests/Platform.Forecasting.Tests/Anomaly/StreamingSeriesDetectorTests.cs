using System.Text.Json;
using Platform.Forecasting.Anomaly;

namespace Platform.Forecasting.Tests.Anomaly;

public class StreamingSeriesDetectorTests
{
    private const int Weeks3 = 3 * 168;

    [Fact]
    public void Detector_NeverFlagsDuringWarmup()
    {
        var detector = new StreamingSeriesDetector(SyntheticSeries.Hourly);
        var warmup = SyntheticSeries.Hourly.EffectiveWarmup;
        var values = SyntheticSeries.HourlyCounts(warmup, 40, seed: 1);
        values[10] = 5000;
        foreach (var v in values)
        {
            var point = detector.Observe(v);
            Assert.False(point.IsScored);
            Assert.False(point.IsAnomaly);
            Assert.Equal(0, point.Score);
        }

        Assert.True(detector.IsWarmedUp);
    }

    [Fact]
    public void Detector_QuietOnNormalSeasonalCounts()
    {
        var values = SyntheticSeries.HourlyCounts(4 * 168, 40, seed: 2);
        var points = Run(new StreamingSeriesDetector(SyntheticSeries.Hourly), values);
        Assert.DoesNotContain(points, p => p.IsAnomaly);
        Assert.All(points.Where(p => p.IsScored), p => Assert.InRange(p.Score, 0, 1));
    }

    [Fact]
    public void Detector_FlagsASpikeOncePerIncident()
    {
        var values = SyntheticSeries.HourlyCounts(Weeks3, 40, seed: 3);
        // A five-hour spike at midday on day 16 (a Tuesday), three times normal.
        var start = 16 * 24 + 10;
        for (var t = start; t < start + 5; t++) values[t] *= 3;
        var points = Run(new StreamingSeriesDetector(SyntheticSeries.Hourly), values);

        var flags = points.Where(p => p.IsAnomaly).ToArray();
        var flag = Assert.Single(flags);
        Assert.InRange(flag.Position, start, start + 1);
        Assert.Equal(AnomalyDirection.Spike, flag.Direction);
        Assert.True(flag.Value > flag.Upper);
        Assert.True(flag.Score >= 0.8);
        Assert.NotEmpty(flag.Contributors);
        Assert.Contains(flag.Contributors[0].Name, new[] { "value_vs_expected", "recent_level_vs_expected" });
        // Every spiking hour belongs to the one incident.
        Assert.All(points.Skip((int)flag.Position).Take(start + 5 - (int)flag.Position), p => Assert.True(p.InIncident));
    }

    [Fact]
    public void Detector_FlagsADropToZero()
    {
        var values = SyntheticSeries.HourlyCounts(Weeks3, 40, seed: 4);
        var start = 17 * 24 + 9;
        for (var t = start; t < start + 4; t++) values[t] = 0;
        var points = Run(new StreamingSeriesDetector(SyntheticSeries.Hourly), values);

        var flag = Assert.Single(points, p => p.IsAnomaly);
        Assert.Equal(AnomalyDirection.Drop, flag.Direction);
        Assert.InRange(flag.Position, start, start + 2);
        Assert.True(flag.Value < flag.Lower);
    }

    [Fact]
    public void Detector_ScoresUseOnlyEarlierPoints()
    {
        var values = SyntheticSeries.HourlyCounts(Weeks3, 30, seed: 5);
        values[400] = 300;
        var full = Run(new StreamingSeriesDetector(SyntheticSeries.Hourly), values);
        // The same series cut at 401 points: every verdict up to the cut is identical.
        var prefix = Run(new StreamingSeriesDetector(SyntheticSeries.Hourly), values[..401]);
        for (var i = 0; i < prefix.Count; i++)
        {
            Assert.Equal(full[i].Score, prefix[i].Score);
            Assert.Equal(full[i].Expected, prefix[i].Expected);
            Assert.Equal(full[i].IsAnomaly, prefix[i].IsAnomaly);
        }

        Assert.True(prefix[400].IsAnomaly);
    }

    [Fact]
    public void Detector_AnomalyDoesNotPoisonTheBaseline()
    {
        var values = SyntheticSeries.HourlyCounts(Weeks3, 40, seed: 6);
        var clean = Run(new StreamingSeriesDetector(SyntheticSeries.Hourly), values);
        // Ten hours at ten times normal, then the same days as the clean run.
        var start = 15 * 24 + 9;
        var spiked = (double[])values.Clone();
        for (var t = start; t < start + 10; t++) spiked[t] *= 10;
        var dirty = Run(new StreamingSeriesDetector(SyntheticSeries.Hourly), spiked);

        var nextDay = start + 24;
        Assert.InRange(dirty[nextDay].Expected / clean[nextDay].Expected, 0.85, 1.15);
        Assert.DoesNotContain(dirty.Skip(start + 12), p => p.IsAnomaly);
    }

    [Fact]
    public void Detector_QuietOnIntermittentLowVolume()
    {
        // 0.2 units an hour on average: single units are noise, not incidents.
        var values = SyntheticSeries.HourlyCounts(8 * 168, 0.2, seed: 7);
        var points = Run(new StreamingSeriesDetector(SyntheticSeries.Hourly), values);
        Assert.DoesNotContain(points, p => p.IsAnomaly);
        Assert.All(points, p => Assert.False(double.IsNaN(p.Score) || double.IsNaN(p.Expected) || double.IsNaN(p.Upper)));
    }

    [Fact]
    public void Detector_ConstantSeriesGivesNoNaNAndFlagsAJump()
    {
        var values = Enumerable.Repeat(5.5, 300).ToArray();
        values[250] = 50;
        var points = Run(new StreamingSeriesDetector(new SeriesDetectorOptions { SeasonLength = 24 }), values);
        Assert.All(points, p => Assert.True(double.IsFinite(p.Score) && double.IsFinite(p.Expected) && double.IsFinite(p.Lower) && double.IsFinite(p.Upper)));
        Assert.Equal(250, Assert.Single(points, p => p.IsAnomaly).Position);

        var zeros = Run(new StreamingSeriesDetector(new SeriesDetectorOptions { SeasonLength = 24 }), new double[300]);
        Assert.DoesNotContain(zeros, p => p.IsAnomaly);
    }

    [Fact]
    public void Detector_MissingValuesKeepTheSeasonsAligned()
    {
        var values = SyntheticSeries.HourlyCounts(Weeks3, 40, seed: 8);
        var withGaps = (double[])values.Clone();
        for (var t = 300; t < 310; t++) withGaps[t] = double.NaN;
        var detector = new StreamingSeriesDetector(SyntheticSeries.Hourly);
        var points = Run(detector, withGaps);

        Assert.All(points.Skip(300).Take(10), p => Assert.False(p.IsScored));
        Assert.Equal(Weeks3, detector.Position);
        // After the gap the expected value still follows the hour of day: midday well above night.
        Assert.True(points[16 * 24 + 12].Expected > 5 * points[16 * 24 + 3].Expected);
        Assert.DoesNotContain(points, p => p.IsAnomaly);

        var skipped = new StreamingSeriesDetector(SyntheticSeries.Hourly);
        foreach (var v in values[..300]) skipped.Observe(v);
        skipped.Skip(10);
        Assert.Equal(points[310].Expected, skipped.Observe(values[310]).Expected, 9);
    }

    [Fact]
    public void Detector_StateRoundTripsThroughJson()
    {
        var values = SyntheticSeries.HourlyCounts(Weeks3, 40, seed: 9);
        var detector = new StreamingSeriesDetector(SyntheticSeries.Hourly);
        foreach (var v in values[..300]) detector.Observe(v);

        var json = JsonSerializer.Serialize(detector.Snapshot());
        var restored = StreamingSeriesDetector.Restore(SyntheticSeries.Hourly, JsonSerializer.Deserialize<SeriesDetectorState>(json)!);
        values[350] = 500;
        for (var t = 300; t < values.Length; t++)
        {
            var a = detector.Observe(values[t]);
            var b = restored.Observe(values[t]);
            // The restored detector recomputes its cached factor sums, so the last bits may differ.
            Assert.Equal(a.Score, b.Score, 9);
            Assert.Equal(a.Expected, b.Expected, 9);
            Assert.Equal(a.IsAnomaly, b.IsAnomaly);
        }

        Assert.Throws<ArgumentException>(() => StreamingSeriesDetector.Restore(new SeriesDetectorOptions { SeasonLength = 7 }, detector.Snapshot()));
    }

    [Fact]
    public void Detector_NegativeValuesUseAdditiveSeasons()
    {
        var rng = new Random(10);
        var values = Enumerable.Range(0, 400).Select(t => 10 * Math.Sin(2 * Math.PI * (t % 24) / 24) + SyntheticSeries.Normal(rng)).ToArray();
        values[300] -= 15;
        var points = Run(new StreamingSeriesDetector(new SeriesDetectorOptions { SeasonLength = 24 }), values);
        var flag = Assert.Single(points, p => p.IsAnomaly);
        Assert.Equal(300, flag.Position);
        Assert.Equal(AnomalyDirection.Drop, flag.Direction);
        Assert.True(flag.Lower < 0);
    }

    [Fact]
    public void Detector_KnownEventIsScoredButNotFlaggedNorLearnt()
    {
        var values = SyntheticSeries.HourlyCounts(Weeks3, 40, seed: 11);
        var known = new bool[values.Length];
        // A two-day promotion that triples demand.
        for (var t = 14 * 24; t < 16 * 24; t++)
        {
            values[t] *= 3;
            known[t] = true;
        }

        var detector = new StreamingSeriesDetector(SyntheticSeries.Hourly);
        var points = values.Select((v, t) => detector.Observe(v, known[t])).ToArray();
        Assert.DoesNotContain(points, p => p.IsAnomaly);
        Assert.Contains(points.Skip(14 * 24).Take(48), p => p.Score >= 0.8);
    }

    [Fact]
    public void Options_RejectBadSettings()
    {
        Assert.Throws<ArgumentException>(() => new StreamingSeriesDetector(new SeriesDetectorOptions { SeasonLength = 0 }));
        Assert.Throws<ArgumentException>(() => new StreamingSeriesDetector(new SeriesDetectorOptions { SeasonLength = 24, SecondSeasonLength = 100 }));
        Assert.Throws<ArgumentException>(() => new StreamingSeriesDetector(new SeriesDetectorOptions { Threshold = 1 }));
        Assert.Throws<ArgumentException>(() => new StreamingSeriesDetector(new SeriesDetectorOptions { IncidentEndAfter = 0 }));
    }

    private static List<SeriesPointScore> Run(StreamingSeriesDetector detector, IEnumerable<double> values) => values.Select(v => detector.Observe(v)).ToList();
}
