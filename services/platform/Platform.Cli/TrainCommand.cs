using System.CommandLine;
using System.Text.Json;
using Platform.Contracts;
using Platform.Features;
using Platform.Forecasting;
using Platform.Forecasting.Data;
using Platform.Forecasting.Neural;
using Platform.Forecasting.Registry;
using Platform.OfflineStore;

namespace Platform.Cli;

/// <summary>
/// `platform train`: turns order history into demand series per SKU, backtests the neural model on each series'
/// last H points against seasonal naive, retrains on everything, and registers the ONNX model with its metrics in a
/// model registry (docs/models.md). The history is the offline store (a folder the feature store writes) or order
/// CSVs (Online Retail or the generic format, as `platform import` reads them); a long CSV series_id,timestamp,value
/// is accepted too. Exit 0 on success, 2 on bad input or usage.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var input = new Option<FileSystemInfo>("--input") { Description = "Order history: an offline store folder, order CSV file(s), or a long CSV of series", Required = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "Model registry folder; the new version is written to OUTPUT/vNNNN", Required = true };
        var step = new Option<string?>("--step") { Description = "Period: hour or day; default: hour for the offline store, day for order CSVs" };
        var horizon = new Option<int?>("--horizon") { Description = "Steps forecast (and held out in the backtest); default 24 hourly, 14 daily" };
        var season = new Option<int?>("--season") { Description = "Season length in steps; default 24 hourly, 7 daily" };
        var top = new Option<int>("--top") { Description = "Train on the SKUs with the most order lines", DefaultValueFactory = _ => 500 };
        var seed = new Option<ulong>("--seed") { Description = "Training seed: the same data and seed give the same model", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout" };
        var command = new Command("train", "Train the neural quantile forecaster on order history and register it with its backtest metrics")
        {
            input, output, step, horizon, season, top, seed, json,
        };
        command.Action = new UsageCheckedAction(command.Name, parse =>
        {
            static int Fail(string message)
            {
                Console.Error.WriteLine($"train: {message}");
                return 2;
            }

            var source = parse.GetValue(input)!;
            if (!source.Exists) return Fail($"{source.FullName} does not exist.");
            if (parse.GetValue(top) < 1) return Fail("--top must be at least 1.");
            var offlineStore = source is DirectoryInfo dir && new OfflineStoreReader(dir.FullName).OrderLineDates().Count > 0;
            var stepText = parse.GetValue(step) ?? (offlineStore ? "hour" : "day");
            TimeSpan? period = stepText switch { "hour" => TimeSpan.FromHours(1), "day" => TimeSpan.FromDays(1), _ => null };
            if (period is null) return Fail("--step must be hour or day.");
            var hourly = period.Value == TimeSpan.FromHours(1);
            var request = new ForecastRequest(parse.GetValue(horizon) ?? (hourly ? 24 : 14), parse.GetValue(season) ?? (hourly ? 24 : 7));
            if (request.Horizon < 1 || request.SeasonLength < 1) return Fail("--horizon and --season must be at least 1.");

            IReadOnlyList<TimeSeries> series;
            try
            {
                series = LoadSeries(source, offlineStore, period.Value, parse.GetValue(top));
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
            {
                return Fail(e.Message);
            }

            if (series.Count == 0) return Fail("no demand series could be built from the input.");
            Console.Error.WriteLine($"train: {series.Count:N0} series of up to {series.Max(s => s.Length):N0} {stepText}s, horizon {request.Horizon}, season {request.SeasonLength}");

            NeuralTrainingReport report;
            var bar = new ConsoleProgressBar("train");
            try
            {
                var trainer = new NeuralModelTrainer(new NeuralForecasterOptions { Seed = parse.GetValue(seed) });
                report = trainer.TrainAndRegister(series, request, new ModelRegistry(parse.GetValue(output)!.FullName), FeatureSchema.Default.Hash, bar);
            }
            catch (Exception e) when (e is InsufficientHistoryException or ArgumentException)
            {
                return Fail(e.Message);
            }
            finally
            {
                bar.Complete();
            }

            Print(report, parse.GetValue(json));
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<TimeSeries> LoadSeries(FileSystemInfo source, bool offlineStore, TimeSpan period, int top)
    {
        if (offlineStore)
        {
            var builder = new DemandSeriesBuilder(period);
            var reader = new OfflineStoreReader(source.FullName);
            var dates = reader.OrderLineDates();
            long lines = 0;
            foreach (var day in reader.ReadOrderLineDaysAsync(dates[0], dates[^1]).ToBlockingEnumerable())
            {
                // Demand is what was sold: cancellation lines carry negative quantities and are not demand.
                foreach (var line in day.Lines.Where(l => l.Kind == OrderLineKinds.Sale && l.Quantity > 0))
                {
                    builder.Add(line.Sku, line.OccurredAt, line.Quantity);
                    lines++;
                }
            }

            Console.Error.WriteLine($"train: offline store {source.FullName}: {dates.Count:N0} day(s), {lines:N0} sale lines");
            return builder.Build(top);
        }

        if (source is FileInfo file && IsLongCsv(file))
        {
            var read = LongCsvReader.Read(file.FullName);
            foreach (var issue in read.Issues.Kept.Take(5))
            {
                Console.Error.WriteLine($"train: {issue.Code}: {issue.Message}");
            }

            return read.Series.OrderByDescending(s => s.Values.Sum(Math.Abs)).Take(top).ToList();
        }

        var orders = new DemandSeriesBuilder(period);
        var from = SeriesCommand.Import(orders, source);
        if (orders.StartAfterLastClosure((int)(TimeSpan.FromDays(7) / period)) is { } reopened)
        {
            from = reopened;
        }

        return orders.Build(top, from);
    }

    private static bool IsLongCsv(FileInfo file)
    {
        using var reader = new StreamReader(file.FullName);
        return (reader.ReadLine() ?? "").Trim().StartsWith("series_id,timestamp,value", StringComparison.OrdinalIgnoreCase);
    }

    private static void Print(NeuralTrainingReport report, bool json)
    {
        var metadata = report.Model.Metadata;
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", metadata.Version);
                writer.WriteString("directory", report.Model.Directory);
                writer.WriteNumber("backtest_series", report.BacktestSeries);
                writer.WriteNumber("skipped_series", report.SkippedSeries);
                writer.WriteNumber("training_seconds", Math.Round(report.FinalTraining.Seconds, 1));
                writer.WriteStartObject("backtest_metrics");
                foreach (var (key, value) in report.BacktestMetrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    writer.WriteNumber(key, Math.Round(value, 4));
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            return;
        }

        Console.WriteLine($"registered version {metadata.Version} in {report.Model.Directory}");
        Console.WriteLine($"backtest on the last points of {report.BacktestSeries:N0} series ({report.SkippedSeries:N0} too short):");
        Console.WriteLine($"  {"metric",-14} {"neural",10} {"seasonal_naive",16}");
        foreach (var metric in new[] { "mase", "smape", "wape", "wql", "coverage_80" })
        {
            Console.WriteLine($"  {metric,-14} {Format(report.BacktestMetrics, metric),10} {Format(report.BacktestMetrics, "seasonal_naive_" + metric),16}");
        }
    }

    private static string Format(IReadOnlyDictionary<string, double> metrics, string key) =>
        metrics.TryGetValue(key, out var value) ? value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
