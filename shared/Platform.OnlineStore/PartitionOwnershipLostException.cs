namespace Platform.OnlineStore;

/// <summary>
/// A commit found another next offset than it expected: another instance took the partition over (or this one
/// is replaying stale state). Nothing of the commit was written; the instance must stop working on the partition,
/// or reload it if it still owns it.
/// </summary>
public sealed class PartitionOwnershipLostException : Exception
{
    public PartitionOwnershipLostException(string consumerGroup, string topic, int partition, long? expectedNextOffset, long? actualNextOffset)
        : base($"Commit for {consumerGroup}/{topic}[{partition}] expected next offset {Describe(expectedNextOffset)} but the store has " +
               $"{Describe(actualNextOffset)}; another instance owns the partition. Nothing was written.")
    {
        ConsumerGroup = consumerGroup;
        Topic = topic;
        Partition = partition;
        ExpectedNextOffset = expectedNextOffset;
        ActualNextOffset = actualNextOffset;
    }

    public string ConsumerGroup { get; }

    public string Topic { get; }

    public int Partition { get; }

    public long? ExpectedNextOffset { get; }

    /// <summary>The stored offset read just after the failed commit (it may have moved on since).</summary>
    public long? ActualNextOffset { get; }

    private static string Describe(long? offset) => offset?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
