using System.CommandLine;
using System.Text.Json;
using Platform.Contracts;
using Platform.Forecasting.Data;
using Platform.Simulator;
using Platform.Simulator.Import;

namespace Platform.Cli;

/// <summary>
/// `platform series`: builds demand series (units per SKU and period) for `platform backtest`, as the long CSV
/// series_id,timestamp,value: from the order simulator, or from order history in CSV (Online Retail or the
/// generic format). See docs/models.md for what is counted and how closures are handled.
/// </summary>
public static class SeriesCommand
{
    public static Command Create()
    {
        var fromSimulator = new Option<bool>("--from-simulator") { Description = "Simulate orders (deterministic per --seed) and count units per SKU" };
        var fromOrders = new Option<FileSystemInfo?>("--from-orders") { Description = "Order history: a CSV file or a folder of them (Online Retail or generic format, read in name order)" };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the long CSV", Required = true };
        var top = new Option<int>("--top") { Description = "Number of SKUs, those with the most order lines", DefaultValueFactory = _ => 200 };
        var step = new Option<string?>("--step") { Description = "Period: hour or day; default: hour with --from-simulator, day with --from-orders" };
        var hours = new Option<int>("--hours") { Description = "Simulated hours (--from-simulator)", DefaultValueFactory = _ => 1000 };
        var ordersPerHour = new Option<double>("--orders-per-hour") { Description = "Mean simulated orders per hour over a week (--from-simulator)", DefaultValueFactory = _ => 1000 };
        var skus = new Option<int>("--skus") { Description = "Simulated catalog size (--from-simulator)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Simulator seed (--from-simulator)", DefaultValueFactory = _ => 42 };
        var keepClosures = new Option<bool>("--keep-closures") { Description = "Keep the periods before the last shop-wide closure of 7 days or more (default: start after it)" };
        var command = new Command("series", "Build demand series per SKU (long CSV for `platform backtest`) from the simulator or order history")
        {
            fromSimulator, fromOrders, output, top, step, hours, ordersPerHour, skus, seed, keepClosures,
        };
        command.Action = new UsageCheckedAction(command.Name, parse =>
        {
            static int Fail(string message)
            {
                Console.Error.WriteLine($"series: {message}");
                return 2;
            }

            var simulate = parse.GetValue(fromSimulator);
            var orders = parse.GetValue(fromOrders);
            if (simulate == (orders is not null)) return Fail("give exactly one of --from-simulator and --from-orders DIR.");
            if (parse.GetValue(top) < 1) return Fail("--top must be at least 1.");
            var stepText = parse.GetValue(step) ?? (simulate ? "hour" : "day");
            TimeSpan? period = stepText switch { "hour" => TimeSpan.FromHours(1), "day" => TimeSpan.FromDays(1), _ => null };
            if (period is null) return Fail("--step must be hour or day.");

            var builder = new DemandSeriesBuilder(period.Value);
            DateTime? from;
            try
            {
                from = simulate
                    ? Simulate(builder, parse.GetValue(hours), parse.GetValue(ordersPerHour), parse.GetValue(skus), parse.GetValue(seed))
                    : Import(builder, orders!);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
            {
                return Fail(e.Message);
            }

            if (builder.SkuCount == 0) return Fail("no order line counted as demand.");
            if (!parse.GetValue(keepClosures) && builder.StartAfterLastClosure((int)(TimeSpan.FromDays(7) / period.Value)) is { } reopened)
            {
                Console.Error.WriteLine($"series: the shop was closed for 7 days or more before {reopened:yyyy-MM-dd}; series start there (--keep-closures to keep the earlier periods).");
                from = reopened;
            }

            var series = builder.Build(parse.GetValue(top), from);
            var file = parse.GetValue(output)!;
            using (var writer = new StreamWriter(file.FullName))
            {
                LongCsvWriter.Write(writer, series);
            }

            Console.Error.WriteLine($"series: {series.Count:N0} series of {(series.Count > 0 ? series[0].Length : 0):N0} {stepText}s (of {builder.SkuCount:N0} SKUs sold) written to {file.FullName}");
            return 0;
        });
        return command;
    }

    /// <summary>Hourly simulated demand: placed orders only (the simulator's malformed and duplicate events are ingestion's concern, not demand).</summary>
    private static DateTime Simulate(DemandSeriesBuilder builder, int hours, double ordersPerHour, int skus, int seed)
    {
        if (hours < 1) throw new ArgumentException("--hours must be at least 1.");
        if (ordersPerHour <= 0) throw new ArgumentException("--orders-per-hour must be positive.");
        // At 3600× one real second is one simulated hour, so the real-time rate is the rate per simulated hour.
        var options = new SimulatorOptions
        {
            Seed = seed,
            SkuCount = skus,
            TimeCompression = 3600,
            MeanOrdersPerSecond = ordersPerHour,
            MalformedShare = 0,
            DuplicateShare = 0,
        };
        var simulator = new OrderSimulator(options);
        var orders = simulator.Generate(TimeSpan.FromSeconds(hours))
            .Where(e => e.Kind == SimulatedEventKind.Valid)
            .Select(e => JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!);
        var summary = OrderDemand.Add(builder, orders);
        Console.Error.WriteLine($"series: simulated {hours:N0} hours from {options.SimulatedStart:u}: {summary.PlacedOrders:N0} orders, " +
            $"{summary.LinesAdded:N0} lines; {summary.CancellationsSkipped:N0} cancellations not counted as demand.");
        return options.SimulatedStart.UtcDateTime;
    }

    /// <summary>Demand from order history. Online Retail: cancellations (invoices "C…"), adjustments (quantity or price ≤ 0) and non-product codes are not counted.</summary>
    internal static DateTime? Import(DemandSeriesBuilder builder, FileSystemInfo input)
    {
        var paths = input switch
        {
            DirectoryInfo dir => dir.GetFiles("*.csv").Select(f => f.FullName).Order(StringComparer.Ordinal).ToList(),
            FileInfo { Exists: true } file => [file.FullName],
            _ => [],
        };
        if (paths.Count == 0) throw new InvalidDataException($"no CSV files at {input.FullName}.");

        string header;
        using (var first = new StreamReader(paths[0]))
        {
            header = first.ReadLine() ?? "";
        }

        var onlineRetail = header.StartsWith("InvoiceNo,", StringComparison.Ordinal);
        CsvOrderReader reader = onlineRetail ? new OnlineRetailCsvReader() : new GenericOrderCsvReader();
        var summary = OrderDemand.Add(builder, reader.ReadFiles(paths), onlineRetail ? OrderDemand.IsOnlineRetailProduct : null);
        Console.Error.WriteLine($"series: {paths.Count:N0} file(s), {summary.PlacedOrders:N0} orders, {summary.LinesAdded:N0} lines counted; " +
            $"not counted: {summary.CancellationsSkipped:N0} cancellations, {summary.LinesSkipped:N0} lines (adjustments, non-products); " +
            $"{reader.Issues.Count:N0} unreadable rows skipped.");
        return null;
    }
}
