using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.Kafka;

namespace Platform.Simulator.Inventory;

/// <summary>
/// One consumer batch of forecasts.demand and orders.validated: applies each record to the book in the batch's order, then
/// publishes the levels that are due to inventory.levels (key = SKU), and marks them published once Kafka has them.
/// </summary>
/// <remarks>
/// Redelivery is harmless: a line id seen before is dropped by the book, a forecast replaces itself, and the clock only
/// moves forward. A level is state, not an event (the latest per SKU is what counts), so one published twice after a
/// failed attempt does no harm; levels therefore go out without the per-record provenance the host's recovery uses.
/// </remarks>
internal sealed class InventoryHandler(InventoryBook book, ILogger logger) : IBatchHandler
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(30);

    public async Task HandleAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> batch, OutputBatch output, CancellationToken ct)
    {
        foreach (var record in batch)
        {
            var rejected = Apply(record);
            if (rejected is not null)
            {
                logger.LogWarning("Inventory: record at {Topic}[{Partition}]@{Offset} refused: {Reason}",
                    record.Topic, record.Partition.Value, record.Offset.Value, rejected);
            }
        }

        var levels = book.PendingLevels();
        if (levels.Count == 0)
        {
            return;
        }

        foreach (var level in levels)
        {
            output.Produce(Topics.InventoryLevels, Encoding.UTF8.GetBytes(level.Sku), JsonSerializer.SerializeToUtf8Bytes(level, ContractsJsonContext.Default.InventoryLevel));
        }

        // Marked only once Kafka has them: a failed attempt leaves them pending for the retry.
        await output.WhenAcknowledgedAsync(AckTimeout);
        book.MarkPublished(levels);
    }

    private string? Apply(ConsumeResult<byte[]?, byte[]?> record)
    {
        try
        {
            switch (record.Topic)
            {
                case Topics.ForecastsDemand:
                    // A tombstone on the compacted topic (null value) deletes a forecast; the book keeps the last one it had.
                    if (record.Message.Value is null)
                    {
                        return null;
                    }

                    var forecast = JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.DemandForecast) ?? throw new JsonException("null forecast");
                    return book.ApplyForecast(forecast);
                case Topics.OrdersValidated:
                    var line = JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.OrderLineValidated) ?? throw new JsonException("null line");
                    return book.ApplyOrderLine(line);
                default:
                    return null;
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentNullException or NotSupportedException)
        {
            book.CountRejected(InventoryRejections.Unreadable);
            return $"{InventoryRejections.Unreadable} ({ex.Message})";
        }
    }
}
