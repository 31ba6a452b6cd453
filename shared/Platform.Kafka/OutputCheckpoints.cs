using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StackExchange.Redis;

namespace Platform.Kafka;

/// <summary>
/// Where the consumer host keeps output checkpoints: for an input partition, end offsets of every output partition
/// taken at a moment when none of that input partition's uncommitted records had produced anything. After a crash,
/// outputs of uncommitted input records can only be at or after those offsets, which bounds the recovery scan.
/// </summary>
/// <remarks>
/// A checkpoint never goes stale in the unsafe direction: committed offsets only grow, so an older checkpoint only
/// makes the scan longer. That is why it can be written lazily, after the commit and on a timer.
/// </remarks>
public interface IOutputCheckpointStore
{
    Task<IReadOnlyDictionary<TopicPartition, long>?> GetAsync(string group, TopicPartition input, CancellationToken ct = default);

    Task SetAsync(string group, IReadOnlyCollection<TopicPartition> inputs, IReadOnlyDictionary<TopicPartition, long> outputEnds, CancellationToken ct = default);
}

/// <summary>For the embedded mode: one process, so the checkpoints live exactly as long as the outputs they describe matter.</summary>
public sealed class InMemoryOutputCheckpointStore : IOutputCheckpointStore
{
    private readonly ConcurrentDictionary<(string Group, TopicPartition Input), IReadOnlyDictionary<TopicPartition, long>> _checkpoints = new();

    public Task<IReadOnlyDictionary<TopicPartition, long>?> GetAsync(string group, TopicPartition input, CancellationToken ct = default) =>
        Task.FromResult(_checkpoints.TryGetValue((group, input), out var ends) ? ends : null);

    public Task SetAsync(string group, IReadOnlyCollection<TopicPartition> inputs, IReadOnlyDictionary<TopicPartition, long> outputEnds, CancellationToken ct = default)
    {
        var copy = new Dictionary<TopicPartition, long>(outputEnds);
        foreach (var input in inputs)
        {
            _checkpoints[(group, input)] = copy;
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Checkpoints in Redis, shared by every instance of the group, so the instance that takes over a partition after a
/// crash finds the one its predecessor wrote. Key "kafka:outckpt:{group}:{topic}:{partition}", value
/// "{topic}:{partition}={offset},…".
/// </summary>
public sealed class RedisOutputCheckpointStore(IConnectionMultiplexer redis, TimeSpan? retention = null) : IOutputCheckpointStore
{
    // Long enough to outlive any outage worth recovering from; short enough that dead groups clean themselves up.
    private readonly TimeSpan _retention = retention ?? TimeSpan.FromDays(30);

    public async Task<IReadOnlyDictionary<TopicPartition, long>?> GetAsync(string group, TopicPartition input, CancellationToken ct = default)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(group, input)).WaitAsync(ct);
        return value.IsNullOrEmpty ? null : Parse(value.ToString());
    }

    public async Task SetAsync(string group, IReadOnlyCollection<TopicPartition> inputs, IReadOnlyDictionary<TopicPartition, long> outputEnds, CancellationToken ct = default)
    {
        var value = Format(outputEnds);
        var batch = redis.GetDatabase().CreateBatch();
        var writes = inputs.Select(input => batch.StringSetAsync(Key(group, input), value, _retention)).ToList();
        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(ct);
    }

    internal static string Format(IReadOnlyDictionary<TopicPartition, long> ends)
    {
        var text = new StringBuilder();
        foreach (var (partition, offset) in ends)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(CultureInfo.InvariantCulture, $"{partition.Topic}:{partition.Partition.Value}={offset}");
        }

        return text.ToString();
    }

    internal static Dictionary<TopicPartition, long> Parse(string value)
    {
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.LastIndexOf('=');
            var colon = entry.LastIndexOf(':', equals);
            ends[new TopicPartition(entry[..colon], int.Parse(entry[(colon + 1)..equals], CultureInfo.InvariantCulture))] =
                long.Parse(entry[(equals + 1)..], CultureInfo.InvariantCulture);
        }

        return ends;
    }

    private static RedisKey Key(string group, TopicPartition input) => $"kafka:outckpt:{group}:{input.Topic}:{input.Partition.Value}";
}
