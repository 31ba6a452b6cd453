using System.CommandLine;
using System.Text.Json;
using Platform.Contracts;
using Platform.Simulator.Import;

namespace Platform.Cli;

/// <summary>
/// `platform import`: replays historical orders from CSV into orders.raw with time compression. Formats: the
/// Online Retail export (InvoiceNo,StockCode,...) and the generic one-row-per-line format in docs/simulator.md.
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var input = new Option<FileSystemInfo>("--input") { Description = "A CSV file, or a folder of them (read in name order)", Required = true };
        var format = new Option<string>("--format") { Description = "online-retail or generic; default: detected from the header" };
        var kafka = new Option<string?>("--kafka") { Description = "Publish to orders.raw at these bootstrap servers" };
        var output = new Option<FileInfo?>("--output") { Description = "Write the order events as JSON lines instead" };
        var compression = new Option<double>("--compression") { Description = "Historical seconds per real second when publishing; 0 = as fast as possible", DefaultValueFactory = _ => 86400 };
        var keep = new Option<bool>("--keep-timestamps") { Description = "Keep the original timestamps (default: shift them so the history ends now; ingestion rejects events older than Ingestion:Limits:MaxEventAge)" };
        var command = new Command("import", "Replay historical orders from CSV into orders.raw") { input, format, kafka, output, compression, keep };
        command.SetAction(async (parse, ct) =>
        {
            var paths = Paths(parse.GetValue(input)!);
            if (paths.Count == 0)
            {
                Console.Error.WriteLine("import: no CSV files found");
                return 2;
            }

            var kafkaServers = parse.GetValue(kafka);
            var outputFile = parse.GetValue(output);
            if (kafkaServers is null && outputFile is null)
            {
                Console.Error.WriteLine("import: give --kafka BOOTSTRAP to publish or --output FILE to write JSON lines");
                return 2;
            }

            var onlineRetail = (parse.GetValue(format) ?? Detect(paths[0])) switch
            {
                "online-retail" => true,
                "generic" => false,
                var other => throw new ArgumentException($"unknown --format {other}: use online-retail or generic"),
            };
            CsvOrderReader NewReader() => onlineRetail ? new OnlineRetailCsvReader() : new GenericOrderCsvReader();
            var span = (onlineRetail ? OnlineRetailCsvReader.ScanSpan(paths) : HistoryReplay.MeasureSpan(NewReader().ReadFiles(paths)))
                ?? throw new InvalidOperationException("import: the input holds no orders");
            var reader = NewReader();
            var rate = parse.GetValue(compression);
            DateTimeOffset? rebaseTo = parse.GetValue(keep) ? null : DateTimeOffset.UtcNow;
            var schedule = HistoryReplay.Schedule(reader.ReadFiles(paths), rate > 0 ? rate : 1, span, rebaseTo);
            Console.Error.WriteLine($"import: {paths.Count} file(s), history {span.First:u} to {span.Last:u}" +
                (rebaseTo is null ? "" : $", shifted by {HistoryReplay.RebaseShift(span, rebaseTo).TotalDays:F1} days to end now"));

            var count = kafkaServers is not null
                ? await PacedPublisher.PublishAsync(kafkaServers, schedule,
                    s => (s.RealOffset, s.Order.OrderId, JsonSerializer.SerializeToUtf8Bytes(s.Order, ContractsJsonContext.Default.OrderEvent)),
                    pace: rate > 0, published: null, ct)
                : await WriteAsync(outputFile!, schedule, ct);
            Console.Error.WriteLine($"import: {count:N0} orders; {reader.Issues.Count:N0} rows skipped");
            foreach (var issue in reader.Issues.Take(20))
            {
                Console.Error.WriteLine($"  skipped {issue.Source}:{issue.LineNumber}: {issue.Problem}");
            }
            return 0;
        });
        return command;
    }

    private static List<string> Paths(FileSystemInfo input) => input switch
    {
        DirectoryInfo dir => dir.GetFiles("*.csv").Select(f => f.FullName).Order(StringComparer.Ordinal).ToList(),
        FileInfo { Exists: true } file => [file.FullName],
        _ => [],
    };

    private static string Detect(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? "";
        return header.StartsWith("InvoiceNo,", StringComparison.Ordinal) ? "online-retail" : "generic";
    }

    private static async Task<long> WriteAsync(FileInfo file, IEnumerable<(TimeSpan RealOffset, OrderEvent Order)> schedule, CancellationToken ct)
    {
        await using var stream = file.Create();
        long count = 0;
        foreach (var (_, order) in schedule)
        {
            ct.ThrowIfCancellationRequested();
            await JsonSerializer.SerializeAsync(stream, order, ContractsJsonContext.Default.OrderEvent, ct);
            stream.WriteByte((byte)'\n');
            count++;
        }

        return count;
    }
}
