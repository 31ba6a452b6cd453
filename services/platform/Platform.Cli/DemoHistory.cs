using System.Diagnostics;
using Platform.Contracts;
using Platform.Features;
using Platform.FeatureStore.Backfill;
using Platform.Forecasting.Data;
using Platform.Forecasting.Registry;
using Platform.Inference.Models;
using Platform.Ingestion.Validation;
using Platform.OnlineStore;
using Platform.Simulator;

namespace Platform.Cli;

/// <summary>
/// The order history a real deployment starts from, simulated: the days before the live run, at the live run's rate and
/// with its catalog. One pass over it trains the first model (as `platform train` would from the offline store) and
/// backfills the feature store's SKU stream, so the live stream's demand windows hold a week of history from the first
/// hour and the spike and drop judgements start at once instead of after a simulated week.
/// </summary>
internal static class DemoHistory
{
    /// <summary>Enough for the bootstrap model: lookback (168 h) + 3 × horizon (24 h) − 1 ≤ 240 h.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromDays(10);

    public sealed record Result(long Orders, long LinesBackfilled, int Entities, RegisteredModel Model, TimeSpan Elapsed);

    /// <param name="liveStart">Simulated start of the live run: the history ends there.</param>
    /// <param name="rate">Weekly mean of valid orders per real second, as the live run's (after its correction for the day it covers).</param>
    /// <param name="compression">Simulated seconds per real second of the live run (the history has the same orders per simulated hour).</param>
    public static async Task<Result> PrepareAsync(
        int seed, double rate, double compression, DateTimeOffset liveStart, CustomerIdHasher hasher,
        FeatureStateBackfill backfill, string registryDirectory, string featureSchemaHash, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var simulator = new OrderSimulator(new SimulatorOptions
        {
            // Fresh events on the live run's catalog.
            Seed = unchecked(seed * 7919 + 17),
            CatalogSeed = seed,
            TimeCompression = compression,
            MeanOrdersPerSecond = rate,
            SimulatedStart = liveStart - Span,
            AnomaliesPerSimulatedDay = 0,
            MalformedShare = 0,
            DuplicateShare = 0,
            OrderIdPrefix = $"H{seed:x}",
            MedianLinesPerOrder = EmbeddedDemo.DemoMedianLinesPerOrder,
        });
        var demand = new DemandSeriesBuilder(TimeSpan.FromHours(1));
        // As much as the stream keeps: its 7-day features and the demand windows are whole from the first live hour.
        var backfillFrom = liveStart - TimeSpan.FromHours(PartitionFeatureAggregator.MaxDemandWindowHours + 1);
        long orders = 0;

        IEnumerable<OrderLineValidated> Lines()
        {
            var single = new OrderEvent[1];
            foreach (var e in simulator.Generate(Span / compression))
            {
                if (e.Order is not { EventType: OrderEventTypes.Placed } order)
                {
                    continue;
                }

                orders++;
                single[0] = order;
                OrderDemand.Add(demand, single);
                if (order.OccurredAt < backfillFrom)
                {
                    continue;
                }

                var customerHash = order.CustomerId is { Length: > 0 } id ? hasher.Hash(id) : null;
                for (var i = 0; i < order.Lines.Count; i++)
                {
                    var line = order.Lines[i];
                    yield return new OrderLineValidated
                    {
                        // As ingestion writes them (docs/contracts.md): line id "order:n", labels lower case or "unknown".
                        LineId = $"{order.OrderId}:{i + 1}",
                        OrderId = order.OrderId,
                        LineNumber = i + 1,
                        LineCount = order.Lines.Count,
                        Sku = line.Sku,
                        Category = line.Category,
                        Quantity = line.Quantity,
                        UnitPrice = line.UnitPrice,
                        Currency = order.Currency,
                        Region = Label(order.Region),
                        Channel = Label(order.Channel),
                        CustomerHash = customerHash,
                        PromotionId = line.PromotionId,
                        OccurredAt = order.OccurredAt,
                        IngestedAt = order.OccurredAt,
                    };
                }
            }
        }

        var backfilled = await backfill.RunAsync(Lines(), ct);
        var model = BootstrapModel.TrainAndRegister(demand, registryDirectory, featureSchemaHash);
        return new Result(orders, backfilled.LinesApplied, backfilled.Entities, model, Stopwatch.GetElapsedTime(started));
    }

    private static string Label(string? value) => string.IsNullOrEmpty(value) ? "unknown" : value.ToLowerInvariant();
}
