using System.Text;
using Confluent.Kafka;
using Platform.IntegrationTests.Fixtures;
using Platform.Kafka;

namespace Platform.IntegrationTests;

public sealed class KafkaKeyPartitionerTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(7)]
    public async Task Partitioner_PutsEveryKeyWhereTheProducerPutsIt(int partitions)
    {
        await using var kafka = await TestKafka.StartAsync();
        await kafka.CreateTopicAsync("partitioner-check", partitions);
        using var producer = kafka.CreateProducer();

        var keys = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? $"{10000 + i}" : $"SKU-ü{i}").ToList();
        var mismatches = new List<string>();
        var used = new HashSet<int>();
        foreach (var key in keys)
        {
            var result = await producer.ProduceAsync("partitioner-check", new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = [1] });
            used.Add(result.Partition.Value);
            if (result.Partition.Value != KafkaKeyPartitioner.PartitionOf(key, partitions))
            {
                mismatches.Add($"{key}: broker {result.Partition.Value}, computed {KafkaKeyPartitioner.PartitionOf(key, partitions)}");
            }
        }

        Assert.Empty(mismatches);
        Assert.Equal(partitions, used.Count);
    }
}
