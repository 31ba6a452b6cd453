using System.CommandLine;
using Platform.Forecasting.Data;
using Platform.Forecasting.Evaluation;

namespace Platform.Cli;

/// <summary>
/// `platform backtest`: holds out the last H points of every series in a long CSV, fits each model on the rest
/// and prints MASE, sMAPE, WAPE, wQL and 80 % coverage per model (docs/models.md). Exit 0 on success, 2 on bad
/// input or usage, 1 when a model breaks its contract; the reason is on stderr.
/// </summary>
public static class BacktestCommand
{
    public static Command Create()
    {
        var catalog = ForecastModelCatalog.CreateDefault();
        var input = new Option<FileInfo>("--input") { Description = "Long CSV with the header series_id,timestamp,value (UTC timestamps)", Required = true };
        var horizon = new Option<int>("--horizon") { Description = "Points held out at the end of each series and forecast (H)", Required = true };
        var season = new Option<int>("--season") { Description = "Season length M in steps (24 for hourly data, 7 for daily; 1 for none)", Required = true };
        var models = new Option<string?>("--models") { Description = $"Comma-separated models to run; default: all ({string.Join(", ", catalog.Names)})" };
        var forecastsOut = new Option<FileInfo?>("--forecasts-out") { Description = "Also write series_id,timestamp,model,p10,p50,p90 for the held-out points to this file" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout instead of the table" };
        var duplicates = new Option<string>("--duplicates") { Description = "Several rows for one period of a series: sum or last", DefaultValueFactory = _ => "sum" };
        var gaps = new Option<string>("--gaps") { Description = "Periods without a row: zero (demand) or previous (levels)", DefaultValueFactory = _ => "zero" };
        var command = new Command("backtest", "Score forecasting models on the last H points of each series in a CSV")
        {
            input, horizon, season, models, forecastsOut, json, duplicates, gaps,
        };
        command.Action = new UsageCheckedAction(command.Name, parse =>
        {
            static int Fail(string message)
            {
                Console.Error.WriteLine($"backtest: {message}");
                return 2;
            }

            var file = parse.GetValue(input)!;
            var h = parse.GetValue(horizon);
            var m = parse.GetValue(season);
            if (h < 1) return Fail("--horizon must be at least 1.");
            if (m < 1) return Fail("--season must be at least 1 (1 means no season).");
            if (!file.Exists) return Fail($"input file {file.FullName} not found.");
            if (!TryParsePolicy(parse.GetValue(duplicates), out DuplicatePolicy duplicatePolicy)) return Fail("--duplicates must be sum or last.");
            if (!TryParsePolicy(parse.GetValue(gaps), out GapPolicy gapPolicy)) return Fail("--gaps must be zero or previous.");

            IReadOnlyList<Platform.Forecasting.IForecastModel> selected;
            try
            {
                var names = (parse.GetValue(models) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                selected = catalog.Create(names);
            }
            catch (ArgumentException e)
            {
                return Fail(e.Message.Split(" (Parameter", 2)[0]);
            }

            SeriesReadResult read;
            try
            {
                read = LongCsvReader.Read(file.FullName, new SeriesReadOptions { Duplicates = duplicatePolicy, Gaps = gapPolicy });
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return Fail($"{file.Name}: {e.Message}");
            }

            ReportIssues(read);
            var progress = new ConsoleProgressBar("backtest");
            BacktestResult result;
            try
            {
                result = Backtester.Run(read.Series, new BacktestOptions(h, m, KeepForecasts: parse.GetValue(forecastsOut) is not null), selected, progress);
            }
            catch (InvalidDataException e)
            {
                progress.Complete();
                return Fail(e.Message);
            }
            catch (InvalidOperationException e)
            {
                // A model broke its contract (NaN, crossed quantiles): a defect in the model, not in the input.
                progress.Complete();
                Console.Error.WriteLine($"backtest: {e.Message}");
                return 1;
            }

            progress.Complete();
            foreach (var issue in result.LeftOut)
            {
                read.Issues.Add(issue);
            }

            if (result.LeftOut.Count > 0)
            {
                Console.Error.WriteLine($"backtest: {result.LeftOut.Count:N0} series left out as too short for horizon {h} (first: {result.LeftOut[0].SeriesId}).");
            }

            if (parse.GetValue(forecastsOut) is { } outFile)
            {
                using var writer = new StreamWriter(outFile.FullName);
                ForecastCsvWriter.Write(writer, result);
                Console.Error.WriteLine($"backtest: forecasts written to {outFile.FullName}");
            }

            if (parse.GetValue(json))
            {
                // Through Console.Out, not the raw stdout stream, so that output redirection (and tests) see it.
                using var buffer = new MemoryStream();
                BacktestReport.WriteJson(buffer, result, read.Issues, read.Series.Count);
                Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            }
            else
            {
                BacktestReport.WriteTable(Console.Out, result);
            }

            return 0;
        });
        return command;
    }

    private static bool TryParsePolicy<T>(string? text, out T value) where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static void ReportIssues(SeriesReadResult read)
    {
        Console.Error.WriteLine($"backtest: {read.Series.Count:N0} series from {read.RowsUsed:N0} of {read.RowsRead:N0} rows" +
            (read.Issues.Total == 0 ? "" : $"; {string.Join(", ", read.Issues.Counts.Select(c => $"{c.Key} × {c.Value:N0}"))}"));
        foreach (var issue in read.Issues.Kept.Take(5))
        {
            Console.Error.WriteLine($"  {issue.Code}: {issue.Message}");
        }

        if (read.Issues.Total > 5)
        {
            Console.Error.WriteLine($"  … {read.Issues.Total - 5:N0} more (--json lists the first {read.Issues.MaxKept:N0} and counts all).");
        }
    }
}
