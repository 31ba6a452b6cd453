using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Kafka;

namespace Platform.Simulator.Inventory;

/// <summary>
/// The simulator playing the inventory service: consumes forecasts.demand and orders.validated into an
/// <see cref="InventoryBook"/> and publishes <see cref="InventoryLevel"/>s to inventory.levels, keyed by SKU.
/// Runs on the shared <see cref="BatchConsumerHost"/> (commit after the outputs are acknowledged; a fatal error stops
/// the application through <see cref="IHostApplicationLifetime"/>, as every consumer here does).
/// </summary>
/// <remarks>One instance per consumer group: the book holds every SKU, so it must see every partition of both topics.</remarks>
public sealed class InventoryService : IHostedService, IAsyncDisposable, IDisposable
{
    public const string ConsumerName = "inventory";

    private readonly BatchConsumerHost _host;
    private int _state; // 0 new, 1 started, 2 stopped

    public InventoryService(
        InventoryOptions options,
        KafkaConnection connection,
        PlatformProducer producer,
        IOptions<KafkaOptions> kafkaOptions,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        Book = new InventoryBook(options);
        var handler = new InventoryHandler(Book, loggerFactory.CreateLogger<InventoryService>());
        _host = new BatchConsumerHost(
            new ConsumerHostOptions
            {
                Name = ConsumerName,
                GroupId = options.ConsumerGroup,
                Topics = options.ConsumeOrders ? TopicsConsumed : [Topics.ForecastsDemand],
            },
            handler,
            producer,
            connection,
            kafkaOptions,
            lifetime,
            loggerFactory);
    }

    /// <summary>What it reads with <see cref="InventoryOptions.ConsumeOrders"/> on (without it, forecasts.demand only).</summary>
    public static IReadOnlyList<string> TopicsConsumed { get; } = [Topics.ForecastsDemand, Topics.OrdersValidated];

    /// <summary>The stock, counters and ground truth; <see cref="InventoryBook.Snapshot"/> reads them safely while it runs.</summary>
    public InventoryBook Book { get; }

    /// <summary>The consumer: lag, partitions assigned, records processed, and the fault if it failed.</summary>
    public BatchConsumerHost Consumer => _host;

    /// <summary>Subscribes and starts consuming on a thread of its own; returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("the inventory service was already started");
        }

        return _host.StartAsync(cancellationToken);
    }

    /// <summary>Finishes the batch in hand (its levels acknowledged and offsets committed), then leaves the group.</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        Interlocked.CompareExchange(ref _state, 2, 1) == 1 ? _host.StopAsync(cancellationToken) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _host.Dispose();
    }

    /// <summary>For containers disposed synchronously: stops (draining the batch in hand) and waits for it.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
