namespace Platform.OnlineStore;

/// <summary>
/// The writing side, for a streaming job that owns Kafka partitions: per partition it keeps the next offset to
/// consume, an opaque partition blob and opaque per-entity state, and it commits them together with the feature
/// rows they produced. Because the offset is committed in the same atomic step as the state, a redelivery after a
/// crash resumes exactly where the state left off and is never counted twice.
/// </summary>
public interface IFeatureStateStore
{
    /// <summary>What the last successful commit for the partition left (an empty state when there was none).</summary>
    Task<PartitionState> LoadPartitionAsync(string consumerGroup, string topic, int partition, CancellationToken ct = default);

    /// <summary>
    /// Applies all of <paramref name="commit"/> atomically, only if the stored next offset still equals
    /// <see cref="PartitionCommit.ExpectedNextOffset"/>; otherwise writes nothing and throws
    /// <see cref="PartitionOwnershipLostException"/>. Any other exception leaves the outcome unknown (the commit may
    /// have been applied before the connection failed): reload the partition, whose offset says which.
    /// </summary>
    Task CommitAsync(PartitionCommit commit, CancellationToken ct = default);
}

/// <summary>A partition's stored state.</summary>
/// <param name="NextOffset">The next offset to consume; null when nothing was ever committed.</param>
/// <param name="Blob">The partition-level blob of the last commit (e.g. watermark and recent line ids); null when none.</param>
/// <param name="Entities">Entity key → state blob, for every entity of the partition.</param>
public sealed record PartitionState(long? NextOffset, byte[]? Blob, IReadOnlyDictionary<string, byte[]> Entities);

/// <summary>One flush of a partition's work, applied all or nothing.</summary>
public sealed record PartitionCommit(
    string ConsumerGroup,
    string Topic,
    int Partition,
    long? ExpectedNextOffset,
    long NextOffset,
    byte[] PartitionBlob)
{
    /// <summary>Entity state blobs to insert or replace.</summary>
    public IReadOnlyDictionary<string, byte[]> UpsertEntities { get; init; } = new Dictionary<string, byte[]>(StringComparer.Ordinal);

    /// <summary>Entity states to remove (e.g. entities whose window emptied); their feature rows stay until their TTL.</summary>
    public IReadOnlyCollection<string> DeleteEntities { get; init; } = [];

    /// <summary>Feature rows for the online store; each replaces the entity's previous row and refreshes its TTL.</summary>
    public IReadOnlyList<FeatureRow> Features { get; init; } = [];

    /// <summary>Hourly demand windows for the online store; each replaces the entity's previous window and refreshes its TTL.</summary>
    public IReadOnlyList<DemandWindow> DemandWindows { get; init; } = [];

    /// <summary>Rejects commits whose parts contradict each other or could not be stored unambiguously.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ConsumerGroup);
        ArgumentException.ThrowIfNullOrEmpty(Topic);
        ArgumentOutOfRangeException.ThrowIfNegative(Partition);
        ArgumentOutOfRangeException.ThrowIfNegative(NextOffset);
        ArgumentNullException.ThrowIfNull(PartitionBlob);
        foreach (var key in DeleteEntities)
        {
            if (UpsertEntities.ContainsKey(key))
            {
                throw new ArgumentException($"Entity '{key}' is both upserted and deleted in one commit.", nameof(DeleteEntities));
            }
        }

        foreach (var window in DemandWindows)
        {
            ArgumentNullException.ThrowIfNull(window, nameof(DemandWindows));
        }

        foreach (var row in Features)
        {
            ArgumentException.ThrowIfNullOrEmpty(row.EntityKey);
            ArgumentNullException.ThrowIfNull(row.SchemaHash);
            if (row.Values.Count > ushort.MaxValue || System.Text.Encoding.UTF8.GetByteCount(row.SchemaHash) > ushort.MaxValue)
            {
                throw new ArgumentException($"Entity '{row.EntityKey}' has more than {ushort.MaxValue} features or an over-long schema hash.", nameof(Features));
            }

            foreach (var name in row.Values.Keys)
            {
                // Names starting with '_' would collide with the metadata fields of the entity hash.
                if (name.Length == 0 || name[0] == '_' || System.Text.Encoding.UTF8.GetByteCount(name) > PackedFeatures.MaxNameBytes)
                {
                    throw new ArgumentException(
                        $"Feature name '{name}' of entity '{row.EntityKey}' is empty, starts with '_' or is over {PackedFeatures.MaxNameBytes} UTF-8 bytes.",
                        nameof(Features));
                }
            }
        }
    }
}
