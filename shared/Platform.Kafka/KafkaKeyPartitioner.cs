using System.IO.Hashing;
using System.Text;

namespace Platform.Kafka;

/// <summary>
/// Where librdkafka's default partitioner ("consistent_random", which every producer of the platform uses) puts a keyed
/// record: the CRC-32 of the key bytes modulo the partition count. State built outside Kafka for a keyed topic (a
/// history backfill of the feature store) must land in the partition that the topic's records of that key will come from.
/// </summary>
/// <remarks>Java clients default to murmur2 instead: a topic written by them partitions differently.</remarks>
public static class KafkaKeyPartitioner
{
    public static int PartitionOf(ReadOnlySpan<byte> key, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return (int)(Crc32.HashToUInt32(key) % (uint)partitionCount);
    }

    public static int PartitionOf(string key, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> buffer = key.Length <= 128 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, buffer);
        return PartitionOf(buffer[..length], partitionCount);
    }
}
