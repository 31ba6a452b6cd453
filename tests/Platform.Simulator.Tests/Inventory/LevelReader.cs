using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts;

namespace Platform.Simulator.Tests.Inventory;

/// <summary>Reads inventory.levels from the beginning in a fresh group, as the inference service would.</summary>
internal sealed class LevelReader : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;

    public LevelReader(string bootstrap)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"levels-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).SetLogHandler((_, _) => { }).Build();
        _consumer.Subscribe(Topics.InventoryLevels);
    }

    /// <summary>Every level read so far with its record key, in the order read.</summary>
    public List<(string Key, InventoryLevel Level)> Levels { get; } = [];

    /// <summary>Reads until <paramref name="done"/> holds over everything read so far, or the deadline passes.</summary>
    public List<(string Key, InventoryLevel Level)> ReadUntil(Func<List<(string Key, InventoryLevel Level)>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(Levels) && DateTime.UtcNow < deadline)
        {
            var record = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is null || record.IsPartitionEOF)
            {
                continue;
            }

            var level = JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.InventoryLevel)!;
            Levels.Add((System.Text.Encoding.UTF8.GetString(record.Message.Key!), level));
        }

        return Levels;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
