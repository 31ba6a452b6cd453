using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Platform.Contracts;

namespace Platform.Cli;

/// <summary>Publishes records to orders.raw at their real-time offsets (or as fast as possible), idempotently.</summary>
internal static class PacedPublisher
{
    public static async Task<long> PublishAsync<T>(
        string bootstrap, IEnumerable<T> items, Func<T, (TimeSpan Offset, string? Key, byte[] Value)> record, bool pace,
        Action<T>? published, CancellationToken ct)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5,
        }).Build();
        long count = 0, failed = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var item in items)
        {
            var (offset, key, value) = record(item);
            var wait = offset - Stopwatch.GetElapsedTime(started);
            if (pace && wait > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(wait, ct);
            }

            producer.Produce(Topics.OrdersRaw,
                new Message<byte[]?, byte[]?> { Key = key is null ? null : Encoding.UTF8.GetBytes(key), Value = value },
                report => { if (report.Error.IsError) { Interlocked.Increment(ref failed); } });
            published?.Invoke(item);
            count++;
        }

        var unsent = producer.Flush(TimeSpan.FromSeconds(60));
        if (failed > 0 || unsent > 0)
        {
            Console.Error.WriteLine($"{failed + unsent} records were not acknowledged by Kafka");
        }

        return count;
    }
}
