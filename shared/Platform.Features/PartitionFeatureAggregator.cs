using Platform.Contracts;

namespace Platform.Features;

/// <summary>
/// Feature state of one partition of orders.validated (all lines of its SKUs), driven by event time.
/// Not thread-safe: one consumer thread owns it.
/// </summary>
/// <remarks>
/// <para>Watermark W = latest event time seen - GracePeriod. A line is, in this order of checks:
/// <see cref="ApplyResult.Duplicate"/> when its line id was applied and its event time is not yet more than
/// DuplicateRetention below W; <see cref="ApplyResult.Late"/> when its event time is at or before W (not applied);
/// <see cref="ApplyResult.Skewed"/> when it is more than MaxFutureSkew ahead of the latest event time seen (applied to
/// its own hour, but the latest time seen only moves MaxFutureSkew forward, so a bad clock can push W at most that far);
/// otherwise <see cref="ApplyResult.Applied"/>, to its own hour bucket whatever the arrival order.</para>
/// <para>Lines at or before W are final: none can still arrive. So a vector as of W is complete and depends only on
/// the lines with event time up to W, which is what <see cref="OfflineFeatureBuilder"/> computes from history.
/// Vectors as of later times are exact for the lines applied so far but may still gain lines.</para>
/// </remarks>
public sealed class PartitionFeatureAggregator
{
    private const byte PartitionSnapshotVersion = 1;
    private const byte EntitySnapshotVersion = 1;

    /// <summary>Longest demand window <see cref="WriteHourlyDemand"/> gives: hours kept, less the current one.</summary>
    public const int MaxDemandWindowHours = FeatureSchema.RetainedHours - 1;

    private readonly Dictionary<string, EntityState> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EntityState>.AlternateLookup<ReadOnlySpan<char>> _entitiesBySpan;
    private readonly List<EntityState> _changed = [];
    private readonly Dictionary<ulong, long> _recentLineIds = [];
    private readonly Queue<(long Ticks, ulong LineId)> _recentOrder = new();
    private readonly HashSet<ulong> _scratch = [];
    private readonly long _grace;
    private readonly long _maxSkew;
    private readonly long _duplicateRetention;
    private char[] _keyBuffer = new char[128];
    private long _maxSeen = EntityState.NoTicks;
    private long _watermark = EntityState.NoTicks;

    public PartitionFeatureAggregator(FeatureSchema? schema = null, EntityScope scope = EntityScope.All)
    {
        Schema = schema ?? FeatureSchema.Default;
        Scope = scope;
        _grace = Schema.Options.GracePeriod.Ticks;
        _maxSkew = Schema.Options.MaxFutureSkew.Ticks;
        _duplicateRetention = Schema.Options.DuplicateRetention.Ticks;
        _entitiesBySpan = _entities.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public FeatureSchema Schema { get; }

    /// <summary>Which entities this aggregator maintains from the lines it is given.</summary>
    public EntityScope Scope { get; }

    /// <summary>Latest event time seen (clamped for skewed lines); null before the first line.</summary>
    public DateTimeOffset? MaxEventTime => _maxSeen == EntityState.NoTicks ? null : new DateTimeOffset(_maxSeen, TimeSpan.Zero);

    /// <summary>Lines at or before it are late; vectors as of it are final. Null before the first line.</summary>
    public DateTimeOffset? Watermark => _watermark == EntityState.NoTicks ? null : new DateTimeOffset(_watermark, TimeSpan.Zero);

    public long AppliedCount { get; private set; }

    public long SkewedCount { get; private set; }

    public long LateCount { get; private set; }

    public long DuplicateCount { get; private set; }

    public int EntityCount => _entities.Count;

    /// <summary>Line ids held for duplicate detection.</summary>
    public int RecentLineIdCount => _recentLineIds.Count;

    public IEnumerable<string> EntityKeys => _entities.Keys;

    public ApplyResult Apply(OrderLineValidated line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var lineId = Fingerprint.Of(line.LineId);
        if (_recentLineIds.ContainsKey(lineId))
        {
            DuplicateCount++;
            return ApplyResult.Duplicate;
        }

        var ticks = line.OccurredAt.UtcTicks;
        if (ticks <= _watermark)
        {
            LateCount++;
            return ApplyResult.Late;
        }

        var result = ApplyResult.Applied;
        if (_maxSeen == EntityState.NoTicks)
        {
            _maxSeen = ticks;
        }
        else if (ticks > _maxSeen)
        {
            if (ticks - _maxSeen > _maxSkew)
            {
                _maxSeen += _maxSkew;
                result = ApplyResult.Skewed;
                SkewedCount++;
            }
            else
            {
                _maxSeen = ticks;
            }
        }

        _watermark = _maxSeen - _grace;
        AppliedCount++;
        _recentLineIds[lineId] = ticks;
        _recentOrder.Enqueue((ticks, lineId));
        ForgetOldLineIds();

        var pending = new PendingLine
        {
            Ticks = ticks,
            Quantity = line.Quantity,
            UnitPrice = (long)decimal.Round(line.UnitPrice * EntityState.PriceScale, MidpointRounding.ToEven),
            Promotion = line.Quantity >= 0 && !string.IsNullOrEmpty(line.PromotionId),
            HasCustomer = line.Quantity >= 0 && !string.IsNullOrEmpty(line.CustomerHash),
        };
        if (pending.HasCustomer) pending.Customer = Fingerprint.Of(line.CustomerHash);

        if ((Scope & EntityScope.Sku) != 0)
        {
            ApplyTo(BuildKey("sku:", line.Sku, null), pending);
            ApplyTo(BuildKey("sku_region:", line.Sku, line.Region), pending);
        }

        if ((Scope & EntityScope.Category) != 0 && line.Category is not null)
        {
            ApplyTo(BuildKey("category:", line.Category, null), pending);
        }

        return result;
    }

    /// <summary>The keys of the entities that had lines applied since the previous call.</summary>
    public IReadOnlyList<string> DrainChanged()
    {
        var keys = new string[_changed.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = _changed[i].Key;
            _changed[i].Changed = false;
        }

        _changed.Clear();
        return keys;
    }

    /// <summary>
    /// The entity's features from the lines applied with event time at or before <paramref name="asOf"/>; all
    /// zero (prices NaN) for an entity never seen. <paramref name="asOf"/> must not be before <see cref="Watermark"/>:
    /// older lines have been folded into hour buckets.
    /// </summary>
    public FeatureVector Compute(string entityKey, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(entityKey);
        var values = new double[Schema.Count];
        var lastEventAt = Compute(entityKey, asOf, values);
        return new FeatureVector(entityKey, asOf, lastEventAt, Schema.Hash, values);
    }

    /// <summary>Allocation-free form of <see cref="Compute(string, DateTimeOffset)"/>; returns the latest event time at or before asOf.</summary>
    public DateTimeOffset? Compute(string entityKey, DateTimeOffset asOf, Span<double> values)
    {
        ArgumentNullException.ThrowIfNull(entityKey);
        if (values.Length != Schema.Count) throw new ArgumentException($"Expected {Schema.Count} values.", nameof(values));
        var ticks = asOf.UtcTicks;
        if (ticks < _watermark)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, $"Features are kept as of the watermark ({Watermark:O}) or later.");
        }

        if (!_entities.TryGetValue(entityKey, out var state))
        {
            values.Clear();
            values[FeatureSchema.AvgPrice24H] = double.NaN;
            values[FeatureSchema.AvgPrice7D] = double.NaN;
            values[FeatureSchema.PriceChange24HVs7D] = double.NaN;
            EntityState.WriteCalendar(ticks, Schema, values);
            return null;
        }

        state.Compute(ticks, Schema, values, _scratch);
        return state.LastEventAt(ticks);
    }

    /// <summary>
    /// Writes the entity's demand in the complete hours just before the watermark's hour, oldest first and zero-filled
    /// (all zeros for an entity never seen): the hours end − N … end − 1, N being the spans' length, end the start of
    /// the hour containing the watermark, which is returned (null before the first line: no watermark yet). Demand is
    /// counted as the forecasting engine's training data counts it (docs/models.md): units and lines of sale lines,
    /// cancellations left out, unlike the net <c>qty_*</c> features. Every hour read is final, so the window depends
    /// only on which lines exist, as every feature does.
    /// </summary>
    public DateTimeOffset? WriteHourlyDemand(string entityKey, Span<int> units, Span<int> lines, Span<int> promoLines)
    {
        ArgumentNullException.ThrowIfNull(entityKey);
        if (units.Length < 1 || units.Length > MaxDemandWindowHours || lines.Length != units.Length || promoLines.Length != units.Length)
        {
            throw new ArgumentException($"The window needs 1 to {MaxDemandWindowHours} hours, the same number in each span.", nameof(units));
        }

        if (_watermark == EntityState.NoTicks)
        {
            return null;
        }

        var endHour = EntityState.HourOf(_watermark);
        if (_entities.TryGetValue(entityKey, out var state))
        {
            state.WriteHourlyDemand(endHour, units, lines, promoLines);
        }
        else
        {
            units.Clear();
            lines.Clear();
            promoLines.Clear();
        }

        return new DateTimeOffset(endHour * TimeSpan.TicksPerHour, TimeSpan.Zero);
    }

    /// <summary>Latest event time applied to the entity (folded or not); null when unknown.</summary>
    public DateTimeOffset? LatestEventTime(string entityKey) =>
        _entities.TryGetValue(entityKey, out var state) ? new DateTimeOffset(state.LatestTicks, TimeSpan.Zero) : null;

    /// <summary>
    /// Folds every entity up to the watermark, which prunes their old buckets. Apply does this lazily per entity;
    /// call it now and then (say hourly) so that entities without new lines shed their old hours too.
    /// </summary>
    public void FoldAll()
    {
        foreach (var state in _entities.Values) state.Fold(_watermark, Schema.Options);
    }

    /// <summary>Drops entities with no line in the retained horizon (8 days before the watermark); returns how many.</summary>
    public int EvictIdle()
    {
        var horizon = _watermark - FeatureSchema.RetainedHours * TimeSpan.TicksPerHour;
        var idle = _entities.Values.Where(s => s.LatestTicks < horizon && !s.Changed).Select(s => s.Key).ToList();
        foreach (var key in idle) _entities.Remove(key);
        return idle.Count;
    }

    /// <summary>Versioned bytes of one entity's state; null when the entity is unknown.</summary>
    public byte[]? SnapshotEntity(string entityKey)
    {
        if (!_entities.TryGetValue(entityKey, out var state)) return null;
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(EntitySnapshotVersion);
            writer.Write(Schema.Hash);
            state.Write(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Replaces (or adds) one entity's state from <see cref="SnapshotEntity"/> bytes of the same schema.</summary>
    public void RestoreEntity(string entityKey, ReadOnlySpan<byte> snapshot)
    {
        ArgumentNullException.ThrowIfNull(entityKey);
        using var reader = OpenSnapshot(snapshot, EntitySnapshotVersion);
        var state = EntityState.Read(entityKey, reader);
        _entities[entityKey] = state;
    }

    /// <summary>Versioned bytes of the partition-level state: the latest event time and the recent line ids.</summary>
    public byte[] SnapshotPartition()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(PartitionSnapshotVersion);
            writer.Write(Schema.Hash);
            writer.Write(_maxSeen);
            writer.Write7BitEncodedInt(_recentOrder.Count);
            foreach (var (ticks, lineId) in _recentOrder)
            {
                writer.Write(ticks);
                writer.Write(lineId);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Restores <see cref="SnapshotPartition"/> bytes; restore the entities with <see cref="RestoreEntity"/>.</summary>
    public void RestorePartition(ReadOnlySpan<byte> snapshot)
    {
        using var reader = OpenSnapshot(snapshot, PartitionSnapshotVersion);
        _maxSeen = reader.ReadInt64();
        _watermark = _maxSeen == EntityState.NoTicks ? EntityState.NoTicks : _maxSeen - _grace;
        _recentLineIds.Clear();
        _recentOrder.Clear();
        var count = reader.Read7BitEncodedInt();
        for (var i = 0; i < count; i++)
        {
            var ticks = reader.ReadInt64();
            var lineId = reader.ReadUInt64();
            _recentOrder.Enqueue((ticks, lineId));
            _recentLineIds[lineId] = ticks;
        }
    }

    internal EntityState? StateOf(string entityKey) => _entities.GetValueOrDefault(entityKey);

    private BinaryReader OpenSnapshot(ReadOnlySpan<byte> snapshot, byte expectedVersion)
    {
        var reader = new BinaryReader(new MemoryStream(snapshot.ToArray(), writable: false));
        var version = reader.ReadByte();
        if (version != expectedVersion)
        {
            reader.Dispose();
            throw new InvalidDataException($"Snapshot version {version} is not supported (expected {expectedVersion}).");
        }

        var hash = reader.ReadString();
        if (hash != Schema.Hash)
        {
            reader.Dispose();
            throw new InvalidDataException($"Snapshot of feature schema {hash} cannot be restored under schema {Schema.Hash}.");
        }

        return reader;
    }

    private void ApplyTo(ReadOnlySpan<char> key, in PendingLine line)
    {
        if (!_entitiesBySpan.TryGetValue(key, out var state))
        {
            state = new EntityState(key.ToString());
            _entities.Add(state.Key, state);
        }

        state.Fold(_watermark, Schema.Options);
        state.Add(line);
        if (!state.Changed)
        {
            state.Changed = true;
            _changed.Add(state);
        }
    }

    // The key is built in a reused buffer and looked up as a span: no string per line unless the entity is new.
    private ReadOnlySpan<char> BuildKey(string prefix, string first, string? second)
    {
        var length = prefix.Length + first.Length + (second is null ? 0 : second.Length + 1);
        if (_keyBuffer.Length < length) _keyBuffer = new char[Math.Max(length, _keyBuffer.Length * 2)];
        var span = _keyBuffer.AsSpan();
        prefix.CopyTo(span);
        first.CopyTo(span[prefix.Length..]);
        if (second is not null)
        {
            span[prefix.Length + first.Length] = ':';
            second.CopyTo(span[(prefix.Length + first.Length + 1)..]);
        }

        return span[..length];
    }

    private void ForgetOldLineIds()
    {
        var horizon = _watermark - _duplicateRetention;
        while (_recentOrder.TryPeek(out var oldest) && oldest.Ticks <= horizon)
        {
            _recentOrder.Dequeue();
            if (_recentLineIds.TryGetValue(oldest.LineId, out var ticks) && ticks == oldest.Ticks) _recentLineIds.Remove(oldest.LineId);
        }
    }
}
