using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Platform.Contracts;
using Platform.OfflineStore;
using Platform.Simulator.Import;

namespace Platform.Cli;

/// <summary>
/// `platform features`: the offline feature store from the command line.
/// <c>export</c> writes a point-in-time-correct training table (features as of each label time, demand in the next
/// 1 h and 24 h as targets) from the store; <c>offline-import</c> loads Online Retail CSV history into the store the
/// way ingestion would have published it, so training data can be exported without running the stream.
/// Bad arguments and an empty result exit with 2.
/// </summary>
public static class FeaturesCommand
{
    private const string DefaultOfflineDir = "./data/offline";
    private const int ImportFlushLines = 100_000;

    public static Command Create() => new("features", "Offline feature store: export training tables, import history")
    {
        CreateExport(),
        CreateOfflineImport(),
    };

    private static Command CreateExport()
    {
        var from = Text("--from", "First label time: a UTC date (yyyy-MM-dd) or an ISO 8601 date and time");
        var to = Text("--to", "Last label time (inclusive): a date means the end of that UTC day, or an ISO 8601 date and time");
        var output = Text("--output", "Output file: CSV when it ends in .csv, Parquet otherwise");
        var offlineDir = Text("--offline-dir", $"Offline store root (default {DefaultOfflineDir})");
        var every = Text("--every", "Label time step: 1h, 30m, 1d, 90s or hh:mm:ss (default 1h)");
        var entity = Text("--entity", "sku or sku_region (default sku)");
        var command = new Command("export", "Write a point-in-time-correct training table from the offline store")
        {
            from, to, output, offlineDir, every, entity,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            const string name = "features export";
            if (!NoUnmatched(parse, name)) return 2;
            if (!TryTime(parse.GetValue(from), "--from", endOfDay: false, out var fromTime, out var error) ||
                !TryTime(parse.GetValue(to), "--to", endOfDay: true, out var toTime, out error) ||
                !TryEvery(parse.GetValue(every), out var step, out error) ||
                !TryEntity(parse.GetValue(entity), out var entityKind, out error))
            {
                return Fail(name, error);
            }

            var outputPath = parse.GetValue(output);
            if (string.IsNullOrWhiteSpace(outputPath)) return Fail(name, "give --output FILE (.csv for CSV, anything else for Parquet)");
            var root = parse.GetValue(offlineDir) ?? DefaultOfflineDir;
            var options = new TrainingSetOptions { From = fromTime, To = toTime, Every = step, Entity = entityKind };
            try
            {
                options.CountLabelPoints();
            }
            catch (ArgumentException e)
            {
                return Fail(name, e.Message);
            }

            var reader = new OfflineStoreReader(root);
            var dates = reader.OrderLineDates();
            if (dates.Count == 0) return Fail(name, $"no order lines in {Path.GetFullPath(root)} (load some with `platform features offline-import`)");
            if (dates[0] > DateOnly.FromDateTime(toTime.UtcDateTime))
            {
                return Fail(name, $"no order lines at or before --to; the store starts on {dates[0]:yyyy-MM-dd}");
            }

            var clock = Stopwatch.StartNew();
            var summary = await new TrainingSetExporter(reader).ExportAsync(options, outputPath, ct);
            if (!summary.OutputWritten)
            {
                return Fail(name, $"no rows: no entity has a line at or before {toTime:u} ({summary.LinesRead:N0} lines read)");
            }

            var lastLabel = fromTime + (summary.LabelPoints - 1) * step;
            Console.WriteLine($"{name}: {summary.Rows:N0} rows, {summary.Entities:N0} entities, {summary.LabelPoints:N0} label points " +
                $"({fromTime:yyyy-MM-ddTHH:mm:ssZ} .. {lastLabel:yyyy-MM-ddTHH:mm:ssZ} every {Describe(step)}, {entityKind}) -> {Path.GetFullPath(outputPath)}");
            Console.WriteLine($"{name}: {summary.LinesRead:N0} lines read from {summary.FilesRead:N0} files in {summary.PartitionsRead:N0} partitions, " +
                $"{summary.DuplicatesDropped:N0} duplicates dropped, events {summary.FirstEventAt:u} .. {summary.LastEventAt:u}; {clock.Elapsed.TotalSeconds:F1} s");
            if (summary.TargetsIncomplete)
            {
                Console.WriteLine($"{name}: warning: the store has no data past {summary.LastEventAt:u}; targets of label times within 24 h of it are incomplete");
            }

            return 0;
        });
        return command;
    }

    private static Command CreateOfflineImport()
    {
        var input = Text("--input", "Online Retail CSV file, or a folder of them (read in name order)");
        var offlineDir = Text("--offline-dir", $"Offline store root (default {DefaultOfflineDir})");
        var maxLines = Text("--max-lines", "Reject orders with more lines than this, as ingestion does (default 200, ingestion's Ingestion:Limits:MaxLines)");
        var command = new Command("offline-import", "Load Online Retail CSV history into the offline store as validated order lines")
        {
            input, offlineDir, maxLines,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            const string name = "features offline-import";
            if (!NoUnmatched(parse, name)) return 2;
            var inputPath = parse.GetValue(input);
            if (string.IsNullOrWhiteSpace(inputPath)) return Fail(name, "give --input CSV (a file or a folder of CSV files)");
            var paths = Directory.Exists(inputPath)
                ? Directory.GetFiles(inputPath, "*.csv").Order(StringComparer.Ordinal).ToList()
                : File.Exists(inputPath) ? [Path.GetFullPath(inputPath)] : [];
            if (paths.Count == 0) return Fail(name, $"no CSV files at {inputPath}");
            foreach (var path in paths)
            {
                using var header = new StreamReader(path);
                if (!string.Equals(header.ReadLine()?.Trim(), OnlineRetailCsvReader.Header, StringComparison.OrdinalIgnoreCase))
                {
                    return Fail(name, $"{path} is not an Online Retail CSV (expected the header {OnlineRetailCsvReader.Header})");
                }
            }

            var rules = new OrderImportRules();
            if (parse.GetValue(maxLines) is { } maxText)
            {
                if (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max < 1)
                {
                    return Fail(name, $"--max-lines '{maxText}' is not a positive whole number");
                }

                rules = rules with { MaxLines = max };
            }

            var root = parse.GetValue(offlineDir) ?? DefaultOfflineDir;
            var clock = Stopwatch.StartNew();
            var csv = new OnlineRetailCsvReader();
            var orderIds = new HashSet<string>(StringComparer.Ordinal);
            var ingestedAt = DateTimeOffset.UtcNow;
            var rejected = new Dictionary<string, int>(StringComparer.Ordinal);
            long orders = 0, lines = 0, files = 0;
            DateTimeOffset? first = null, last = null;
            await using (var writer = new OfflineStoreWriter(root))
            {
                foreach (var order in csv.ReadFiles(paths))
                {
                    ct.ThrowIfCancellationRequested();
                    orders++;
                    // Ingestion drops an order id it has seen (the CSV holds one invoice split in two places).
                    if ((orderIds.Contains(order.OrderId) ? "duplicate_order" : OrderEventLines.Reject(order, rules)) is { } reason)
                    {
                        rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
                        continue;
                    }

                    orderIds.Add(order.OrderId);
                    foreach (var line in OrderEventLines.Normalize(order, ingestedAt))
                    {
                        writer.Append(line);
                        lines++;
                    }

                    if (first is null || order.OccurredAt < first) first = order.OccurredAt;
                    if (last is null || order.OccurredAt > last) last = order.OccurredAt;
                    if (writer.BufferedLines >= ImportFlushLines) files += (await writer.FlushAsync(ct)).Files.Count;
                }

                files += (await writer.FlushAsync(ct)).Files.Count;
            }

            if (lines == 0) return Fail(name, $"no valid order lines in {paths.Count} file(s)");
            var rejectedOrders = rejected.Values.Sum();
            Console.WriteLine($"{name}: {paths.Count:N0} CSV file(s), {orders:N0} orders, {orders - rejectedOrders:N0} accepted -> {lines:N0} lines " +
                $"({first:u} .. {last:u}) in {files:N0} Parquet files under {Path.GetFullPath(root)}; {clock.Elapsed.TotalSeconds:F1} s");
            Console.WriteLine($"{name}: {rejectedOrders:N0} orders rejected as ingestion would" +
                (rejectedOrders == 0 ? "" : " (" + string.Join(", ", rejected.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value:N0}")) + ")") +
                $"; {csv.Issues.Count:N0} CSV rows unreadable; customer ids hashed with plain SHA-256 (not the stream's HMAC key)");
            foreach (var issue in csv.Issues.Take(10))
            {
                Console.Error.WriteLine($"  skipped {issue.Source}:{issue.LineNumber}: {issue.Problem}");
            }

            return 0;
        });
        return command;
    }

    // Options are read as text and checked here, so that every bad value gets a clear message and exit code 2.
    private static Option<string?> Text(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    private static bool NoUnmatched(ParseResult parse, string name)
    {
        if (parse.UnmatchedTokens.Count == 0) return true;
        Fail(name, $"unexpected argument(s): {string.Join(' ', parse.UnmatchedTokens)}");
        return false;
    }

    private static int Fail(string name, string message)
    {
        Console.Error.WriteLine($"{name}: {message}");
        return 2;
    }

    internal static bool TryTime(string? text, string option, bool endOfDay, out DateTimeOffset time, out string error)
    {
        time = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"give {option} DATE (yyyy-MM-dd, UTC) or an ISO 8601 date and time";
            return false;
        }

        var inv = CultureInfo.InvariantCulture;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", inv, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            time = endOfDay ? start.AddDays(1).AddTicks(-1) : start;
            return true;
        }

        if (DateTimeOffset.TryParse(text.Trim(), inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)) return true;
        error = $"{option} '{text}' is not a date (yyyy-MM-dd) or an ISO 8601 date and time";
        return false;
    }

    internal static bool TryEvery(string? text, out TimeSpan every, out string error)
    {
        error = "";
        every = TimeSpan.FromHours(1);
        if (text is null) return true;
        var s = text.Trim().ToLowerInvariant();
        var unit = s.TrimStart("0123456789.".ToCharArray());
        var number = s[..^unit.Length];
        var ok = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0;
        TimeSpan? parsed = ok ? unit switch
        {
            "s" or "sec" => TimeSpan.FromSeconds(value),
            "m" or "min" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            "d" => TimeSpan.FromDays(value),
            _ => null,
        } : null;
        if (parsed is null && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var span)) parsed = span;
        if (parsed is { } p && p >= TimeSpan.FromSeconds(1))
        {
            every = p;
            return true;
        }

        error = $"--every '{text}' is not a step of at least one second (1h, 30m, 1d, 90s or hh:mm:ss)";
        return false;
    }

    private static string Describe(TimeSpan step) =>
        step.Ticks % TimeSpan.TicksPerDay == 0 ? $"{step.Ticks / TimeSpan.TicksPerDay}d"
        : step.Ticks % TimeSpan.TicksPerHour == 0 ? $"{step.Ticks / TimeSpan.TicksPerHour}h"
        : step.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{step.Ticks / TimeSpan.TicksPerMinute}m"
        : step.ToString("c", CultureInfo.InvariantCulture);

    internal static bool TryEntity(string? text, out TrainingEntity entity, out string error)
    {
        error = "";
        entity = TrainingEntity.Sku;
        switch (text?.Trim())
        {
            case null or "sku":
                return true;
            case "sku_region":
                entity = TrainingEntity.SkuRegion;
                return true;
            default:
                error = $"--entity '{text}' is not sku or sku_region";
                return false;
        }
    }
}
