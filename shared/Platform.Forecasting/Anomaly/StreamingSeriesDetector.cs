using Platform.Contracts;

namespace Platform.Forecasting.Anomaly;

/// <summary>
/// Streaming anomaly detector for one regular series, with no lookahead: the verdict on a point uses only the
/// points before it, and then the point is absorbed into the baseline.
/// </summary>
/// <remarks>
/// <para>Baseline: expected = level × slot factor × block factor (multiplicative, for non-negative data such as
/// demand) or level + slot offset + block offset (additive, chosen when the warm-up holds a negative value). Slots
/// are positions modulo <see cref="SeriesDetectorOptions.SeasonLength"/> (hour of day); blocks are whole seasons
/// within <see cref="SeriesDetectorOptions.SecondSeasonLength"/> (day of week). Each component is an exponentially
/// weighted ratio of sums (Σ value / Σ what the other components predict), which weights every point by its
/// volume: a quiet night hour barely moves the level and a zero never divides by zero. With a
/// <see cref="SharedSeasonalShape"/> the slot × block factor comes from the total of many series instead.</para>
/// <para>Noise: variance = φ·(expected + offset) + ρ²·expected², fitted online by weighted least squares on squared
/// residuals: Poisson-like (φ ≥ 1 for counts) where volume is low, relative (ρ ≥ 5 %) where it is high. Counts are
/// judged with the quasi-Poisson tail, other data with the normal tail; the evidence is the larger of the point's
/// own z and the z of the mean of the last two or three points, and the score is −log10(p) / 10
/// (<see cref="AnomalyScore"/>).</para>
/// <para>Robustness: a point is absorbed clipped to <see cref="SeriesDetectorOptions.AbsorbClip"/> scales from the
/// expected value, and points outside the interval do not teach the noise model, so an incident cannot make itself
/// normal. Warm-up: the first <see cref="SeriesDetectorOptions.EffectiveWarmup"/> observed points are buffered
/// (score 0, never flagged), then fit the baseline by seasonal means and medians, refitted on winsorized values.
/// Missing values (NaN, or <see cref="Skip"/>) advance the position, so the seasons stay aligned, and change
/// nothing else.</para>
/// </remarks>
public sealed class StreamingSeriesDetector
{
    private const int RecentPoints = 3;
    private const int RobustFitIterations = 4;
    private const int MinPointsPerSlotForMedians = 5;
    private const double Tiny = 1e-12;

    private readonly SeriesDetectorOptions _options;
    private readonly SeriesDetectorState _s;
    private readonly SharedSeasonalShape? _shared;
    private readonly int _season;
    private readonly int _blocks;
    private readonly int _ringLength;
    private readonly double _intervalZ;
    private readonly double _levelDecay;
    private readonly double _slotDecay;
    private readonly double _blockDecay;
    private readonly double _scaleRate;

    // Raw slot and block factors (num / den) and their sums, kept in step with the state to avoid O(season) work per point.
    private readonly double[] _slot;
    private readonly double[] _block;
    private double _slotSum;
    private double _blockSum;

    /// <param name="shared">
    /// A shape learnt from the total of many series: when given, this series learns only its level and noise and
    /// uses the shared shape for its seasons (non-negative series; one with a negative value in its warm-up keeps
    /// its own additive seasons). Its season lengths must be the ones of <paramref name="options"/>.
    /// </param>
    public StreamingSeriesDetector(SeriesDetectorOptions? options = null, SharedSeasonalShape? shared = null)
        : this(options ?? new SeriesDetectorOptions(), null, shared)
    {
    }

    private StreamingSeriesDetector(SeriesDetectorOptions options, SeriesDetectorState? state, SharedSeasonalShape? shared)
    {
        options.Validate();
        if (shared is not null && (shared.Options.SeasonLength != options.SeasonLength || shared.Options.SecondSeasonLength != options.SecondSeasonLength))
        {
            throw new ArgumentException("The shared shape's season lengths differ from the detector's.", nameof(shared));
        }

        _options = options;
        _shared = shared;
        _season = options.SeasonLength;
        _blocks = options.SecondSeasonLength > 0 ? options.SecondSeasonLength / options.SeasonLength : 1;
        _ringLength = Math.Max(_season, options.SecondSeasonLength);
        _intervalZ = AnomalyScore.TwoSidedZFor(-Math.Log10(1 - options.IntervalCoverage) / AnomalyScore.Decades);
        _levelDecay = 1 - 1 / options.LevelMemory;
        _slotDecay = 1 - 1 / options.SeasonMemory;
        // A block is visited SeasonLength points in a row; spread its per-cycle decay over them.
        _blockDecay = Math.Pow(1 - 1 / options.SecondSeasonMemory, 1.0 / _season);
        _scaleRate = 1 / options.ScaleMemory;
        _s = state ?? NewState();
        _slot = new double[_season];
        _block = new double[_blocks];
        RefreshFactors();
    }

    public SeriesDetectorOptions Options => _options;

    /// <summary>Position of the next point.</summary>
    public long Position => _s.Position;

    /// <summary>True once the warm-up is over and points can be flagged.</summary>
    public bool IsWarmedUp => _s.Fitted;

    /// <summary>Rebuilds a detector from <see cref="Snapshot"/>; the options must be the ones it was taken with.</summary>
    public static StreamingSeriesDetector Restore(SeriesDetectorOptions options, SeriesDetectorState state, SharedSeasonalShape? shared = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(state);
        options.Validate();
        var blocks = options.SecondSeasonLength > 0 ? options.SecondSeasonLength / options.SeasonLength : 1;
        var ring = Math.Max(options.SeasonLength, options.SecondSeasonLength);
        if (state.Version != SeriesDetectorState.CurrentVersion || state.SlotNum.Length != options.SeasonLength
            || state.SlotDen.Length != options.SeasonLength || state.VarianceSums.Length != 5
            || state.BlockNum.Length != blocks || state.BlockDen.Length != blocks
            || state.Recent.Length != ring || state.RecentPosition.Length != ring || state.RecentZ.Length != RecentPoints
            || state.WarmupPositions.Count != state.WarmupValues.Count)
        {
            throw new ArgumentException("The detector state does not match these options (season lengths or state version differ).", nameof(state));
        }

        return new StreamingSeriesDetector(options, state.Clone(), shared);
    }

    /// <summary>A deep copy of the state, safe to serialize while the detector goes on.</summary>
    public SeriesDetectorState Snapshot() => _s.Clone();

    /// <summary>Advances past <paramref name="count"/> missing points (a gap), keeping the seasons aligned.</summary>
    public void Skip(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _s.Position += count;
    }

    /// <summary>Scores the next point against the baseline of the points before it, then absorbs it. NaN or ±∞ is a missing point.</summary>
    /// <param name="knownEvent">
    /// True while a known driver moves the series (a promotion, whose order lines carry a promotion id): the point
    /// is scored but never flagged, and the baseline neither learns from it nor forgets what it knew, so the end of
    /// the event is no anomaly either.
    /// </param>
    public SeriesPointScore Observe(double value, bool knownEvent = false)
    {
        var position = _s.Position++;
        if (!double.IsFinite(value))
        {
            return new SeriesPointScore(position, value, 0, 0, 0, 0, 0, AnomalyDirection.None, false, false, _s.InIncident, []);
        }

        if (knownEvent)
        {
            if (!_s.Fitted) return Unscored(position, value);
            var eventExpected = Expected(position);
            var eventScale = RawScale(eventExpected);
            var eventZ = StandardDeviation(value, eventExpected, eventScale);
            return new SeriesPointScore(position, value, eventExpected, Lower(eventExpected, eventScale), eventExpected + _intervalZ * eventScale,
                eventScale, AnomalyScore.FromTwoSidedZ(eventZ), AnomalyDirection.None, true, false, _s.InIncident, []);
        }

        _s.Observed++;
        if (!_s.Fitted)
        {
            _s.WarmupPositions.Add(position);
            _s.WarmupValues.Add(value);
            if (_shared is null ? _s.WarmupValues.Count >= _options.EffectiveWarmup : _shared.IsReady && _s.WarmupValues.Count >= _options.SharedShapeWarmup) Fit();
            return Unscored(position, value);
        }

        var expected = Expected(position);
        var scale = RawScale(expected);
        var z = StandardDeviation(value, expected, scale);
        var score = AnomalyScore.FromTwoSidedZ(Evidence(z));
        var lower = Lower(expected, scale);
        var upper = expected + _intervalZ * scale;
        var abnormal = score >= _options.Threshold && (value > upper || value < lower);
        var direction = value > expected ? AnomalyDirection.Spike : AnomalyDirection.Drop;

        var flag = false;
        if (abnormal)
        {
            // A change of direction (a spike right after a drop) is a new incident: alerts key on the direction.
            flag = !_s.InIncident || _s.IncidentDirection != direction;
            _s.InIncident = true;
            _s.IncidentDirection = direction;
            _s.NormalRun = 0;
        }
        else if (_s.InIncident && ++_s.NormalRun >= _options.IncidentEndAfter)
        {
            _s.InIncident = false;
            _s.IncidentDirection = AnomalyDirection.None;
            _s.NormalRun = 0;
        }

        IReadOnlyList<AnomalyContributor> contributors = flag ? Contributors(position, value, expected, z, scale) : [];
        RememberRecent(position, value, expected, z);
        Absorb(position, value, expected, scale);
        return new SeriesPointScore(position, value, expected, lower, upper, scale, score,
            abnormal ? direction : AnomalyDirection.None, true, flag, _s.InIncident, contributors);
    }

    /// <summary>
    /// The point's deviation as a standard normal z with the sign of value − expected. Counts use the quasi-Poisson
    /// tail (heavy at low volume, normal at high volume); other data the normal one.
    /// </summary>
    private double StandardDeviation(double value, double expected, double scale)
    {
        if (!_s.Counts || _s.Additive) return (value - expected) / scale;
        var log10P = AnomalyScore.Log10CountTwoSidedTail(value, expected, scale * scale, _s.VarianceOffset);
        return Math.Sign(value - expected) * AnomalyScore.ZFromLog10TwoSided(log10P);
    }

    private static SeriesPointScore Unscored(long position, double value) =>
        new(position, value, value, value, value, 0, 0, AnomalyDirection.None, false, false, false, []);

    private double Lower(double expected, double scale) => _s.Additive ? expected - _intervalZ * scale : Math.Max(0, expected - _intervalZ * scale);

    /// <summary>
    /// The strongest evidence in the point's direction: its own z, or the z of the mean of the last two or three
    /// points including it (Σz / √m, standard normal when they are normal), so a sustained shift whose single
    /// points are only moderately unusual is found within a few points.
    /// </summary>
    private double Evidence(double z)
    {
        var evidence = Math.Abs(z);
        var sum = z;
        var available = (int)Math.Min(_s.RecentCount, RecentPoints - 1);
        for (var back = 1; back <= available; back++)
        {
            sum += _s.RecentZ[(int)((_s.RecentCount - back) % RecentPoints)];
            evidence = Math.Max(evidence, Math.Sign(z) * sum / Math.Sqrt(back + 1));
        }

        return evidence;
    }

    private SeriesDetectorState NewState() => new()
    {
        SlotNum = new double[_season],
        SlotDen = new double[_season],
        BlockNum = new double[_blocks],
        BlockDen = new double[_blocks],
        Recent = new double[_ringLength],
        RecentPosition = Enumerable.Repeat(-1L, _ringLength).ToArray(),
        RecentZ = new double[RecentPoints],
        RecentValue = new double[RecentPoints],
        RecentExpected = new double[RecentPoints],
    };

    private (int Slot, int Block) SlotOf(long position) => ((int)(position % _season), (int)(position / _season % _blocks));

    private double Level => _s.LevelDen > 0 ? _s.LevelNum / _s.LevelDen : 0;

    private double SlotFactor(int slot) => _s.Additive ? _slot[slot] - _slotSum / _season : _slotSum > 0 ? _slot[slot] * _season / _slotSum : 1;

    private double BlockFactor(int block) => _s.Additive ? _block[block] - _blockSum / _blocks : _blockSum > 0 ? _block[block] * _blocks / _blockSum : 1;

    private bool UsesShared => _shared is not null && !_s.Additive;

    private double Expected(long position)
    {
        var (slot, block) = SlotOf(position);
        return _s.Additive ? Level + SlotFactor(slot) + BlockFactor(block) : Level * Shape(position, slot, block);
    }

    private double Shape(long position, int slot, int block) => UsesShared ? _shared!.FactorAt(position) : SlotFactor(slot) * BlockFactor(block);

    /// <summary>The mean-one multiplicative shape (slot × block factor) at a position; 1 before the fit or for additive series.</summary>
    internal double ShapeAt(long position)
    {
        if (!_s.Fitted || _s.Additive) return 1;
        var (slot, block) = SlotOf(position);
        return SlotFactor(slot) * BlockFactor(block);
    }

    /// <summary>The variance function without its fitted parameters: the count-like part and the relative part.</summary>
    private (double Counting, double Relative) VarianceTerms(double expected) =>
        _s.Additive ? (1, 0) : (Math.Max(expected, 0) + _s.VarianceOffset, expected * expected);

    /// <summary>
    /// Noise scale at an expected value: √(φ·(e + offset) + ρ²·e²). Counts get Poisson noise (φ ≥ 1) where volume
    /// is low and relative noise (ρ ≥ <see cref="SeriesDetectorOptions.MinRelativeScale"/>) where it is high, so
    /// neither a quiet Saturday nor a best-seller's peak hour is judged with the other's width.
    /// </summary>
    private double RawScale(double expected)
    {
        var (counting, relative) = VarianceTerms(expected);
        return Math.Sqrt(_s.Dispersion * counting + _s.RelativeVariance * relative);
    }

    /// <summary>
    /// One step of an exponentially weighted, iteratively reweighted least-squares fit of E[d²] = φ·v + ρ²·e² to
    /// the squared residual d² of a point inside the interval (weights 1 / (shape of the variance)², so every point
    /// counts in standard units), constrained to φ ≥ its floor and ρ ≥ the minimum relative scale. Leaving out the
    /// 0.1 % of normal points beyond the interval biases the variance by about 1 %.
    /// </summary>
    private void UpdateNoise(double expected, double residual)
    {
        var (v, q) = VarianceTerms(expected);
        var predicted = Math.Max(_s.Dispersion * v + _s.RelativeVariance * q, Tiny);
        // A point outside the interval says nothing about the noise (it is an incident, or a stretch of one, even
        // when its score is below the threshold); learning from it would widen the band it broke.
        if (residual * residual > _intervalZ * _intervalZ * predicted) return;
        var d2 = residual * residual;
        // Weights follow the shape of the variance function, not its level: weighting by the level itself would
        // let one small residual shrink the scale, which raises that point's weight, and so on down to zero.
        var shape = v + (_s.Dispersion > 0 ? _s.RelativeVariance / _s.Dispersion : 0) * q;
        var w = 1 / Math.Max(shape * shape, Tiny);
        var sums = _s.VarianceSums;
        var decay = 1 - _scaleRate;
        sums[0] = decay * sums[0] + w * v * v;
        sums[1] = decay * sums[1] + w * v * q;
        sums[2] = decay * sums[2] + w * q * q;
        sums[3] = decay * sums[3] + w * v * d2;
        sums[4] = decay * sums[4] + w * q * d2;
        SolveNoise();
    }

    private void SolveNoise()
    {
        var (svv, sve, see, svd, sed) = (_s.VarianceSums[0], _s.VarianceSums[1], _s.VarianceSums[2], _s.VarianceSums[3], _s.VarianceSums[4]);
        var minRelative = _s.Additive ? 0 : _options.MinRelativeScale * _options.MinRelativeScale;
        double phi, rho2;
        var det = svv * see - sve * sve;
        if (!_s.Additive && see > 0 && det > 1e-9 * svv * see)
        {
            phi = (svd * see - sed * sve) / det;
            rho2 = (sed * svv - svd * sve) / det;
        }
        else
        {
            phi = svv > 0 ? svd / svv : _s.Dispersion;
            rho2 = minRelative;
        }

        if (phi < _s.DispersionFloor)
        {
            phi = _s.DispersionFloor;
            rho2 = see > 0 ? (sed - phi * sve) / see : minRelative;
        }

        if (rho2 < minRelative)
        {
            rho2 = minRelative;
            phi = svv > 0 ? Math.Max(_s.DispersionFloor, (svd - rho2 * sve) / svv) : _s.Dispersion;
        }

        _s.Dispersion = phi;
        _s.RelativeVariance = rho2;
    }

    private void Absorb(long position, double value, double expected, double scale)
    {
        var (slot, block) = SlotOf(position);
        var clip = _options.AbsorbClip * scale;
        var y = Math.Clamp(value, expected - clip, expected + clip);
        if (!_s.Additive) y = Math.Max(0, y);

        var slotFactor = SlotFactor(slot);
        var blockFactor = BlockFactor(block);
        if (_s.Additive)
        {
            _s.LevelNum = _levelDecay * _s.LevelNum + (y - slotFactor - blockFactor);
            _s.LevelDen = _levelDecay * _s.LevelDen + 1;
            var level = Level;
            SetSlot(slot, _slotDecay * _s.SlotNum[slot] + (y - level - blockFactor), _slotDecay * _s.SlotDen[slot] + 1);
            if (_blocks > 1) SetBlock(block, _blockDecay * _s.BlockNum[block] + (y - level - SlotFactor(slot)), _blockDecay * _s.BlockDen[block] + 1);
        }
        else if (UsesShared)
        {
            _s.LevelNum = _levelDecay * _s.LevelNum + y;
            _s.LevelDen = _levelDecay * _s.LevelDen + _shared!.FactorAt(position);
        }
        else
        {
            _s.LevelNum = _levelDecay * _s.LevelNum + y;
            _s.LevelDen = _levelDecay * _s.LevelDen + slotFactor * blockFactor;
            var level = Level;
            // While the level is still zero (nothing sold yet) the shape cannot be learnt; it keeps its prior.
            if (level * blockFactor > Tiny) SetSlot(slot, _slotDecay * _s.SlotNum[slot] + y, _slotDecay * _s.SlotDen[slot] + level * blockFactor);
            var slotNow = SlotFactor(slot);
            if (_blocks > 1 && level * slotNow > Tiny) SetBlock(block, _blockDecay * _s.BlockNum[block] + y, _blockDecay * _s.BlockDen[block] + level * slotNow);
        }

        UpdateNoise(expected, value - expected);
    }

    private void SetSlot(int slot, double num, double den)
    {
        _s.SlotNum[slot] = num;
        _s.SlotDen[slot] = den;
        var raw = RawSlot(slot);
        _slotSum += raw - _slot[slot];
        _slot[slot] = raw;
    }

    private void SetBlock(int block, double num, double den)
    {
        _s.BlockNum[block] = num;
        _s.BlockDen[block] = den;
        var raw = RawBlock(block);
        _blockSum += raw - _block[block];
        _block[block] = raw;
    }

    private double RawSlot(int slot) => _s.SlotDen[slot] > 0 ? _s.SlotNum[slot] / _s.SlotDen[slot] : _s.Additive ? 0 : 1;

    private double RawBlock(int block) => _s.BlockDen[block] > 0 ? _s.BlockNum[block] / _s.BlockDen[block] : _s.Additive ? 0 : 1;

    private void RefreshFactors()
    {
        _slotSum = 0;
        for (var i = 0; i < _season; i++) _slotSum += _slot[i] = RawSlot(i);
        _blockSum = 0;
        for (var i = 0; i < _blocks; i++) _blockSum += _block[i] = RawBlock(i);
    }

    /// <summary>
    /// Fits the baseline to the warm-up buffer by seasonal means, then refits it a few times to the buffer
    /// winsorized against the previous fit, so an outage or a promotion inside the warm-up does not become part of
    /// the season; then starts streaming.
    /// </summary>
    private void Fit()
    {
        var positions = _s.WarmupPositions.ToArray();
        var values = _s.WarmupValues.ToArray();
        _s.Additive = values.Any(v => v < 0);
        _s.Counts = values.All(v => v >= 0 && v == Math.Floor(v));
        var mean = values.Average();
        _s.VarianceOffset = _s.Counts ? 1 : _s.Additive ? 0 : Math.Max(0.01 * mean, Tiny);
        var (typicalCounting, _) = VarianceTerms(mean);
        var floorScale = _s.Counts ? 1 : Math.Max(1e-6 * values.Average(Math.Abs), Tiny) / Math.Sqrt(typicalCounting);
        _s.DispersionFloor = floorScale * floorScale;

        FitBaseline(positions, values);
        FitScale(positions, values);
        // Each refit sees the anomalous stretch clipped closer to a baseline that it distorts less.
        var clipped = new double[values.Length];
        for (var iteration = 0; iteration < RobustFitIterations; iteration++)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var expected = Expected(positions[i]);
                var limit = _options.AbsorbClip * RawScale(expected);
                clipped[i] = Math.Clamp(values[i], expected - limit, expected + limit);
            }

            FitBaseline(positions, clipped);
            FitScale(positions, values);
        }
        for (var i = 0; i < values.Length; i++) RememberRecent(positions[i], values[i], values[i], 0);
        _s.WarmupPositions.Clear();
        _s.WarmupValues.Clear();
        _s.Fitted = true;
    }

    private void FitBaseline(long[] positions, double[] values)
    {
        var n = values.Length;
        var mean = values.Average();

        // Slot factors from slot means; block factors from what the slots leave unexplained.
        var slotSum = new double[_season];
        var slotCount = new int[_season];
        for (var i = 0; i < n; i++)
        {
            var (slot, _) = SlotOf(positions[i]);
            slotSum[slot] += values[i];
            slotCount[slot]++;
        }

        var slotFactor = new double[_season];
        for (var h = 0; h < _season; h++)
        {
            slotFactor[h] = slotCount[h] == 0 ? (_s.Additive ? 0 : 1)
                : _s.Additive ? slotSum[h] / slotCount[h] - mean
                : mean > 0 ? slotSum[h] / slotCount[h] / mean : 1;
        }

        Normalize(slotFactor);
        var blockNum = new double[_blocks];
        var blockDen = new double[_blocks];
        var blockSeasons = new HashSet<long>[_blocks];
        for (var i = 0; i < _blocks; i++) blockSeasons[i] = [];
        for (var i = 0; i < n; i++)
        {
            var (slot, block) = SlotOf(positions[i]);
            blockNum[block] += _s.Additive ? values[i] - mean - slotFactor[slot] : values[i];
            blockDen[block] += _s.Additive ? 1 : mean * slotFactor[slot];
            blockSeasons[block].Add(positions[i] / _season);
        }

        var blockFactor = new double[_blocks];
        for (var k = 0; k < _blocks; k++)
        {
            blockFactor[k] = blockDen[k] > Tiny ? blockNum[k] / blockDen[k] : _s.Additive ? 0 : 1;
        }

        Normalize(blockFactor);
        RefineByMedians(positions, values, mean, slotFactor, blockFactor);

        // The level from the most recent season (or long season), so a trend in the warm-up does not lag.
        var recent = Math.Min(n, Math.Max(_season, _options.SecondSeasonLength));
        double levelNum = 0, levelDen = 0;
        for (var i = n - recent; i < n; i++)
        {
            var (slot, block) = SlotOf(positions[i]);
            levelNum += _s.Additive ? values[i] - slotFactor[slot] - blockFactor[block] : values[i];
            levelDen += _s.Additive ? 1 : UsesShared ? _shared!.FactorAt(positions[i]) : slotFactor[slot] * blockFactor[block];
        }

        var level = levelDen > Tiny ? levelNum / levelDen : mean;
        var levelWeight = Math.Min(n, _options.LevelMemory);
        _s.LevelNum = level * levelWeight;
        _s.LevelDen = levelWeight;
        for (var h = 0; h < _season; h++)
        {
            var weight = Math.Min(slotCount[h], _options.SeasonMemory) * (_s.Additive ? 1 : level);
            _s.SlotDen[h] = weight;
            _s.SlotNum[h] = slotFactor[h] * weight;
        }

        for (var k = 0; k < _blocks && _blocks > 1; k++)
        {
            var weight = Math.Min(blockSeasons[k].Count, _options.SecondSeasonMemory) * _season * (_s.Additive ? 1 : level);
            _s.BlockDen[k] = weight;
            _s.BlockNum[k] = blockFactor[k] * weight;
        }

        RefreshFactors();
    }

    /// <summary>
    /// Replaces the mean-based factors by medians where medians are informative (additive data, or data that is
    /// rarely zero): each slot factor is the median of its points over the seasons, each block factor the
    /// volume-weighted median of its points. A warm-up week with an outage every day then still gives the usual
    /// shape, which means alone do not. Sparse counts keep the means (their medians are 0).
    /// </summary>
    private void RefineByMedians(long[] positions, double[] values, double mean, double[] slotFactor, double[] blockFactor)
    {
        if (!_s.Additive && (mean <= 0 || values.Count(v => v > 0) < 0.9 * values.Length)) return;
        // A median of a handful of points is mostly one of them; means serve better there.
        if (values.Length < MinPointsPerSlotForMedians * _season) return;
        var bySlot = new List<(double Value, double Weight)>[_season];
        var byBlock = new List<(double Value, double Weight)>[_blocks];
        for (var h = 0; h < _season; h++) bySlot[h] = [];
        for (var k = 0; k < _blocks; k++) byBlock[k] = [];
        for (var iteration = 0; iteration < 2; iteration++)
        {
            foreach (var list in bySlot) list.Clear();
            for (var i = 0; i < values.Length; i++)
            {
                var (slot, block) = SlotOf(positions[i]);
                bySlot[slot].Add((_s.Additive ? values[i] - mean - blockFactor[block] : values[i] / (mean * blockFactor[block]), 1));
            }

            for (var h = 0; h < _season; h++)
            {
                if (bySlot[h].Count > 0) slotFactor[h] = WeightedMedian(bySlot[h]);
            }

            Normalize(slotFactor);
            if (_blocks == 1) return;
            foreach (var list in byBlock) list.Clear();
            for (var i = 0; i < values.Length; i++)
            {
                var (slot, block) = SlotOf(positions[i]);
                if (_s.Additive) byBlock[block].Add((values[i] - mean - slotFactor[slot], 1));
                else if (slotFactor[slot] > Tiny) byBlock[block].Add((values[i] / (mean * slotFactor[slot]), slotFactor[slot]));
            }

            for (var k = 0; k < _blocks; k++)
            {
                if (byBlock[k].Count > 0) blockFactor[k] = WeightedMedian(byBlock[k]);
            }

            Normalize(blockFactor);
        }
    }

    private static double WeightedMedian(List<(double Value, double Weight)> items)
    {
        items.Sort((a, b) => a.Value.CompareTo(b.Value));
        var half = items.Sum(x => x.Weight) / 2;
        double cumulative = 0;
        foreach (var (value, weight) in items)
        {
            cumulative += weight;
            if (cumulative >= half) return value;
        }

        return items[^1].Value;
    }

    /// <summary>
    /// The starting noise: φ from the median absolute residual (standardized by the variance function at the
    /// minimum relative scale), ρ at its minimum, held as a prior worth the warm-up's points; then the warm-up
    /// residuals run through the online estimate.
    /// </summary>
    private void FitScale(long[] positions, double[] values)
    {
        var minRelative = _s.Additive ? 0 : _options.MinRelativeScale * _options.MinRelativeScale;
        var standardized = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var expected = Expected(positions[i]);
            var (v, q) = VarianceTerms(expected);
            standardized[i] = Math.Abs(values[i] - expected) / Math.Sqrt(v + minRelative * q / Math.Max(_s.DispersionFloor, 1));
        }

        Array.Sort(standardized);
        // In-sample residuals understate the error on new points: with p fitted factors from n points the
        // squared residuals shrink by (1 − p/n) and a new point's error grows by (1 + p/n).
        var parameters = 1 + (UsesShared ? 0 : _season + (_blocks > 1 ? _blocks : 0));
        var share = Math.Min(0.5, parameters / (double)values.Length);
        var predictive = (1 + share) / (1 - share);
        var sigma = 1.4826 * standardized[standardized.Length / 2] * Math.Sqrt(predictive);
        _s.Dispersion = Math.Max(sigma * sigma, _s.DispersionFloor);
        _s.RelativeVariance = minRelative;
        // Prior: the warm-up points as if their squared residuals were exactly the robust starting variance, so
        // the online estimate starts there and moves at the pace of its memory, never from one lucky residual.
        Array.Clear(_s.VarianceSums);
        var sums = _s.VarianceSums;
        for (var i = 0; i < values.Length; i++)
        {
            var (v, q) = VarianceTerms(Expected(positions[i]));
            var shape = v + _s.RelativeVariance / _s.Dispersion * q;
            var w = 1 / Math.Max(shape * shape, Tiny);
            var prior = _s.Dispersion * v + _s.RelativeVariance * q;
            sums[0] += w * v * v;
            sums[1] += w * v * q;
            sums[2] += w * q * q;
            sums[3] += w * v * prior;
            sums[4] += w * q * prior;
        }

        for (var i = 0; i < values.Length; i++)
        {
            var expected = Expected(positions[i]);
            UpdateNoise(expected, (values[i] - expected) * Math.Sqrt(predictive));
        }
    }

    private void Normalize(double[] factors)
    {
        var m = factors.Average();
        for (var i = 0; i < factors.Length; i++)
        {
            if (_s.Additive) factors[i] -= m;
            else factors[i] = m > Tiny ? factors[i] / m : 1;
        }
    }

    private void RememberRecent(long position, double value, double expected, double z)
    {
        var at = (int)(position % _ringLength);
        _s.Recent[at] = value;
        _s.RecentPosition[at] = position;
        var i = (int)(_s.RecentCount++ % RecentPoints);
        _s.RecentZ[i] = z;
        _s.RecentValue[i] = value;
        _s.RecentExpected[i] = expected;
    }

    /// <summary>
    /// The inputs that moved most, as z-like magnitudes on the detector's own scale: the value against its expected
    /// value; the last few points against theirs (a level shift rather than a lone point); and the value against the
    /// same slot one season and one long season ago (what changed relative to the seasonal pattern).
    /// </summary>
    private AnomalyContributor[] Contributors(long position, double value, double expected, double z, double scale)
    {
        var list = new List<(double Magnitude, AnomalyContributor Contributor)>(4)
        {
            (Math.Abs(z), new AnomalyContributor { Name = "value_vs_expected", Value = value, Baseline = expected }),
        };

        var recent = (int)Math.Min(_s.RecentCount, RecentPoints);
        if (recent > 0)
        {
            double zSum = z, valueSum = value, expectedSum = expected;
            for (var i = 0; i < recent; i++)
            {
                zSum += _s.RecentZ[i];
                valueSum += _s.RecentValue[i];
                expectedSum += _s.RecentExpected[i];
            }

            var count = recent + 1;
            list.Add((Math.Abs(zSum) / Math.Sqrt(count), new AnomalyContributor
            {
                Name = "recent_level_vs_expected", Value = valueSum / count, Baseline = expectedSum / count,
            }));
        }

        AddAgo(list, position, value, scale, _season, _season == 1 ? "value_vs_previous_point" : "value_vs_one_season_ago");
        if (_options.SecondSeasonLength > 0) AddAgo(list, position, value, scale, _options.SecondSeasonLength, "value_vs_one_long_season_ago");
        list.Sort((a, b) => b.Magnitude.CompareTo(a.Magnitude));
        return list.Select(x => x.Contributor).ToArray();
    }

    private void AddAgo(List<(double, AnomalyContributor)> list, long position, double value, double scale, int lag, string name)
    {
        if (position < lag) return;
        var at = (int)((position - lag) % _ringLength);
        if (_s.RecentPosition[at] != position - lag) return;
        var then = _s.Recent[at];
        list.Add((Math.Abs(value - then) / (scale * Math.Sqrt(2)), new AnomalyContributor { Name = name, Value = value, Baseline = then }));
    }
}
