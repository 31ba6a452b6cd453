using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Platform.Contracts;
using Platform.Forecasting;
using Platform.Forecasting.Anomaly;
using Platform.Simulator;

namespace Platform.Cli;

/// <summary>
/// `platform detect`: streaming anomaly detection over any history. Reads the long CSV
/// <c>series_id,timestamp,value[,known_event]</c>, runs one detector per series in time order with no lookahead
/// (see docs/models.md, "Anomaly detection") and writes <c>series_id,timestamp,value,score,is_anomaly</c> plus
/// direction, expected value, interval and drivers. <c>--labels</c> scores the flags against labelled windows;
/// <c>--simulate-labelled DIR</c> writes a labelled simulator run (series.csv, labels.csv) and prints the full
/// benchmark, so the figures in the docs can be reproduced. Bad input exits with 2 and one line naming the problem.
/// </summary>
public static class DetectCommand
{
    private const string Name = "detect";
    private const string OutputHeader = "series_id,timestamp,value,score,is_anomaly,direction,expected,lower,upper,drivers";

    public static Command Create()
    {
        var input = Text("--input", "Long CSV series_id,timestamp,value[,known_event] (one row per series and period)");
        var output = Text("--output", "Where to write the scored rows (default: standard output)");
        var season = Text("--season", "Season length in periods (default from the step: 24 hourly, 7 daily, 1 otherwise)");
        var season2 = Text("--season2", "Longer season, a multiple of --season (default 168 for hourly data, else none; 0 for none)");
        var threshold = Text("--threshold", "Score in (0, 1) at which a point outside the interval is flagged (default 0.8 = one in 10^8)");
        var shape = Text("--shape", "shared (seasonal shape learnt from the total of all series, default) or own (per series)");
        var labels = Text("--labels", "CSV kind,target,start,end[,eligible]: score the flags at window level");
        var tolerance = Text("--tolerance-hours", "With --labels: a flag this long after a window's end still belongs to it (default 2)");
        var simulate = Text("--simulate-labelled", "Write a labelled simulator run to this folder (series.csv, labels.csv) and print the benchmark");
        var days = Text("--days", "With --simulate-labelled: simulated days (default 14; the first 8 are warm-up)");
        var rate = Text("--rate", "With --simulate-labelled: mean orders per simulated hour (default 500)");
        var anomalies = Text("--anomalies-per-day", "With --simulate-labelled: labelled anomalies per simulated day (default 12)");
        var seed = Text("--seed", "With --simulate-labelled: simulator seed (default 42)");
        var measure = Text("--measure", "With --simulate-labelled: lines (order lines per SKU and hour, default) or units");
        var command = new Command(Name, "Flag anomalies in series (long CSV) with a streaming detector; or benchmark it on labelled simulated orders")
        {
            input, output, season, season2, threshold, shape, labels, tolerance, simulate, days, rate, anomalies, seed, measure,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0) return Fail($"unexpected argument(s): {string.Join(' ', parse.UnmatchedTokens)}");
            if (!TryNumber(parse.GetValue(threshold), "--threshold", 0.8, out var thresholdValue, out var error)
                || !TryNumber(parse.GetValue(tolerance), "--tolerance-hours", 2, out var toleranceHours, out error))
            {
                return Fail(error);
            }

            if (thresholdValue is <= 0 or >= 1) return Fail($"--threshold {thresholdValue.ToString(CultureInfo.InvariantCulture)} is not in (0, 1)");
            if (toleranceHours < 0) return Fail("--tolerance-hours must not be negative");
            var sharedShape = (parse.GetValue(shape) ?? "shared").Trim() switch
            {
                "shared" => (bool?)true,
                "own" => false,
                _ => null,
            };
            if (sharedShape is null) return Fail($"--shape '{parse.GetValue(shape)}' is not shared or own");

            if (parse.GetValue(simulate) is { } folder)
            {
                if (!TryNumber(parse.GetValue(days), "--days", 14, out var dayCount, out error)
                    || !TryNumber(parse.GetValue(rate), "--rate", 500, out var rateValue, out error)
                    || !TryNumber(parse.GetValue(anomalies), "--anomalies-per-day", 12, out var perDay, out error)
                    || !TryNumber(parse.GetValue(seed), "--seed", 42, out var seedValue, out error))
                {
                    return Fail(error);
                }

                if (dayCount < 9 || dayCount > 60 || dayCount != Math.Floor(dayCount)) return Fail("--days must be a whole number from 9 to 60 (8 days are warm-up)");
                if (rateValue <= 0 || perDay < 0 || seedValue != Math.Floor(seedValue)) return Fail("--rate must be positive, --anomalies-per-day non-negative and --seed whole");
                DemandMeasure? demand = (parse.GetValue(measure) ?? "lines").Trim() switch
                {
                    "lines" => DemandMeasure.Lines,
                    "units" => DemandMeasure.Units,
                    _ => null,
                };
                if (demand is null) return Fail($"--measure '{parse.GetValue(measure)}' is not lines or units");
                return SimulateLabelled(folder, (int)dayCount, rateValue, perDay, (int)seedValue, thresholdValue, sharedShape.Value, demand.Value);
            }

            var inputPath = parse.GetValue(input);
            if (string.IsNullOrWhiteSpace(inputPath)) return Fail("give --input FILE.csv (series_id,timestamp,value), or --simulate-labelled DIR");
            if (!File.Exists(inputPath)) return Fail($"no file at {inputPath}");
            if (!TryReadSeries(inputPath, out var table, out error)) return Fail(error);
            if (!TryOptions(table.Step, parse.GetValue(season), parse.GetValue(season2), thresholdValue, out var options, out error)) return Fail(error);
            List<(LabelledWindow Window, bool Eligible)>? windows = null;
            if (parse.GetValue(labels) is { } labelsPath)
            {
                if (!File.Exists(labelsPath)) return Fail($"no labels file at {labelsPath}");
                if (!TryReadLabels(labelsPath, out windows, out error)) return Fail(error);
            }

            return Detect(table, options, sharedShape.Value, parse.GetValue(output), windows, TimeSpan.FromHours(toleranceHours));
        });
        return command;
    }

    private static int Detect(SeriesTable table, SeriesDetectorOptions options, bool sharedShape, string? outputPath,
        List<(LabelledWindow Window, bool Eligible)>? windows, TimeSpan tolerance)
    {
        var clock = Stopwatch.StartNew();
        var results = table.Series.Select(s => new SeriesPointScore?[s.Length]).ToArray();
        DemandDetectionRun.Run(table.Series, table.Known, options, sharedShape, (i, point) => results[i][point.Position - table.Offsets[i]] = point);

        var flags = new List<DetectionFlag>();
        long rows = 0, missing = 0, warmup = 0;
        var flaggedSeries = 0;
        var unjudged = 0;
        using (var writer = outputPath is null ? new StreamWriter(Console.OpenStandardOutput()) : new StreamWriter(outputPath))
        {
            writer.NewLine = "\n";
            writer.WriteLine(OutputHeader);
            for (var i = 0; i < table.Series.Count; i++)
            {
                var series = table.Series[i];
                var seriesFlags = 0;
                var judged = false;
                for (var t = 0; t < series.Length; t++)
                {
                    if (!table.Present[i][t]) continue;
                    rows++;
                    var point = results[i][t]!.Value;
                    var timestamp = series.TimestampAt(t);
                    if (!point.IsScored && double.IsFinite(point.Value) && !table.Known[i]![t]) warmup++;
                    judged |= point.IsScored;
                    if (!double.IsFinite(point.Value))
                    {
                        missing++;
                        writer.WriteLine($"{Csv(series.Id)},{timestamp:yyyy-MM-ddTHH:mm:ssZ},,0,0,,,,,");
                        continue;
                    }

                    if (point.IsAnomaly)
                    {
                        seriesFlags++;
                        var at = new DateTimeOffset(timestamp, TimeSpan.Zero);
                        flags.Add(new DetectionFlag(series.Id, at, at + series.Step, Direction(point.Direction)));
                    }

                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Csv(series.Id)},{timestamp:yyyy-MM-ddTHH:mm:ssZ},{point.Value:R},{point.Score:0.####},{(point.IsAnomaly ? 1 : 0)},{Direction(point.Direction)},{point.Expected:0.###},{point.Lower:0.###},{point.Upper:0.###},{Csv(string.Join(';', point.Contributors.Take(3).Select(c => c.Name)))}"));
                }

                if (seriesFlags > 0) flaggedSeries++;
                if (!judged) unjudged++;
            }
        }

        var seasons = options.SecondSeasonLength > 0 ? $"{options.SeasonLength} and {options.SecondSeasonLength}" : $"{options.SeasonLength}";
        Console.Error.WriteLine($"{Name}: {table.Series.Count:N0} series, {rows:N0} rows ({missing:N0} missing, {warmup:N0} in warm-up), " +
            $"{flags.Count:N0} flags in {flaggedSeries:N0} series; step {Describe(table.Step)}, seasons {seasons} ({(sharedShape ? "shared shape" : "own shape")}), " +
            $"threshold {options.Threshold.ToString(CultureInfo.InvariantCulture)}; {clock.Elapsed.TotalSeconds:F1} s" +
            (outputPath is null ? "" : $" -> {Path.GetFullPath(outputPath)}"));
        if (unjudged > 0)
        {
            var needs = sharedShape
                ? $"{options.SharedShapeWarmup} observed points, once the shared shape has {options.EffectiveWarmup} periods"
                : $"{options.EffectiveWarmup} observed points";
            Console.Error.WriteLine($"{Name}: {unjudged:N0} series too short to leave the warm-up ({needs}): all their points scored 0, none flagged");
        }

        if (windows is not null) PrintEvaluation(flags, windows, tolerance);
        return 0;
    }

    /// <summary>Windows with a target are judged (eligible ones count towards recall); windows without one excuse flags on every series.</summary>
    private static void PrintEvaluation(List<DetectionFlag> flags, List<(LabelledWindow Window, bool Eligible)> windows, TimeSpan tolerance)
    {
        var targets = windows.Where(w => w.Window.Target is not null).Select(w => w.Window).ToArray();
        var excuses = windows.Where(w => w.Window.Target is null).Select(w => w.Window).ToArray();
        var kinds = targets.Select(w => w.Kind).Distinct().Order(StringComparer.Ordinal).ToArray();
        var eligible = new HashSet<LabelledWindow>(windows.Where(w => w.Eligible).Select(w => w.Window), ReferenceEqualityComparer.Instance);
        var evaluation = new WindowEvaluator(tolerance).Evaluate(flags, targets, eligible.Contains, excuses, kinds);
        PrintEvaluation("labels", evaluation);
    }

    private static void PrintEvaluation(string title, WindowEvaluation e)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {title}: precision {e.Precision:F3} ({e.TrueFlags} of {e.Flags} flags in a window; {e.ExcusedFlags} excused), " +
            $"recall {e.Recall:F3} ({e.DetectedWindows} of {e.ScoredWindows} eligible windows), F1 {e.F1:F3}"));
        foreach (var k in e.ByKind)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Name}:   {k.Kind}: {k.Detected} of {k.Windows} eligible windows found ({k.Recall:F3}); {k.Ineligible} not eligible"));
        }

        foreach (var w in e.MissedWindows.Take(10))
        {
            Console.Error.WriteLine($"{Name}:   missed {w.Kind} on {w.Target} {w.Start:yyyy-MM-dd HH:mm}..{w.End:yyyy-MM-dd HH:mm}");
        }

        foreach (var f in e.FalseFlags.Take(10))
        {
            Console.Error.WriteLine($"{Name}:   false flag {f.Reason} on {f.Target} at {f.Start:yyyy-MM-dd HH:mm}");
        }
    }

    /// <summary>Runs the simulator, writes series.csv (order lines or units per SKU and hour, with promotions as known events) and labels.csv, prints the benchmark.</summary>
    private static int SimulateLabelled(string folder, int days, double rate, double perDay, int seed, double threshold, bool sharedShape, DemandMeasure measure)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        // MeanOrdersPerSecond is real-time orders per second; at the default 3600x compression that is orders per simulated hour.
        var simulatorOptions = new SimulatorOptions { Seed = seed, MeanOrdersPerSecond = rate, AnomaliesPerSimulatedDay = perDay };
        var simulator = new OrderSimulator(simulatorOptions);
        var events = simulator.Generate(TimeSpan.FromHours(days * 24 / simulatorOptions.TimeCompression));
        var orders = events.Where(e => e.Kind == SimulatedEventKind.Valid)
            .Select(e => JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!);
        var windows = simulator.Anomalies.Select(a => new LabelledWindow(a.Kind, a.Sku ?? a.CustomerId ?? a.Region, a.Start, a.End)).ToArray();
        var benchmark = new AnomalyBenchmark(simulatorOptions.SimulatedStart, days * 24)
        {
            SeriesOptions = new SeriesDetectorOptions { SeasonLength = 24, SecondSeasonLength = 168, Threshold = threshold },
            SharedShape = sharedShape,
            Measure = measure,
        };
        var report = benchmark.Run(orders, windows);

        var seriesPath = Path.Combine(folder, "series.csv");
        using (var writer = new StreamWriter(seriesPath))
        {
            writer.NewLine = "\n";
            writer.WriteLine("series_id,timestamp,value,known_event");
            foreach (var s in report.DemandSeries)
            {
                for (var t = 0; t < s.Series.Length; t++)
                {
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Csv(s.Series.Id)},{s.Series.TimestampAt(t):yyyy-MM-ddTHH:mm:ssZ},{s.Series.Values[t]:R},{(s.Promoted[t] ? 1 : 0)}"));
                }
            }
        }

        var labelsPath = Path.Combine(folder, "labels.csv");
        using (var writer = new StreamWriter(labelsPath))
        {
            writer.NewLine = "\n";
            writer.WriteLine("kind,target,start,end,eligible,note");
            foreach (var w in report.Series.Windows)
            {
                writer.WriteLine($"{w.Window.Kind},{Csv(w.Window.Target ?? "")},{w.Window.Start:yyyy-MM-ddTHH:mm:ssZ},{w.Window.End:yyyy-MM-ddTHH:mm:ssZ},{(w.IneligibleBecause is null ? 1 : 0)},{Csv(w.IneligibleBecause ?? "")}");
            }

            // Outages and bursts move every SKU's demand: an empty target excuses flags on every series.
            foreach (var w in windows.Where(w => w.Kind is LabelledKinds.RegionOutage or LabelledKinds.CustomerBurst))
            {
                writer.WriteLine($"{w.Kind},,{w.Start:yyyy-MM-ddTHH:mm:ssZ},{w.End:yyyy-MM-ddTHH:mm:ssZ},0,{Csv($"excuses every series ({w.Target})")}");
            }
        }

        Console.Error.WriteLine($"{Name}: simulated {days} days (seed {seed}, {rate.ToString(CultureInfo.InvariantCulture)} orders/hour, " +
            $"{perDay.ToString(CultureInfo.InvariantCulture)} anomalies/day): {report.PlacedOrders:N0} orders, {report.DemandSeries.Count:N0} SKU series of {(measure == DemandMeasure.Lines ? "order lines" : "units")} per hour, " +
            $"{windows.Length} labelled windows; {clock.Elapsed.TotalSeconds:F1} s");
        PrintEvaluation("SKU series (demand_spike, demand_drop)", report.Series.Evaluation);
        foreach (var (reason, count) in report.Series.IneligibleReasons.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            Console.Error.WriteLine($"{Name}:   not eligible: {count} ({reason})");
        }

        PrintEvaluation("order risk (price_error, customer_burst)", report.Orders.Evaluation);
        Console.Error.WriteLine($"{Name}: wrote {Path.GetFullPath(seriesPath)} and {Path.GetFullPath(labelsPath)}; " +
            $"`platform detect --input {seriesPath} --labels {labelsPath}` scores the series again");
        return 0;
    }

    /// <summary>
    /// Reads the long CSV into series on one grid. Rows may come in any order (each series is sorted); an empty
    /// value or NaN is a missing point; periods absent from the file are gaps. A non-numeric value, a duplicate
    /// (series, timestamp), a timestamp off the grid or series with different steps is an error.
    /// </summary>
    private static bool TryReadSeries(string path, out SeriesTable table, out string error)
    {
        table = default!;
        var rows = new Dictionary<string, List<(DateTime At, double Value, bool Known, int Line)>>(StringComparer.Ordinal);
        var order = new List<string>();
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        var columns = header is null ? [] : SplitCsv(header).Select(c => c.Trim().ToLowerInvariant()).ToArray();
        if (columns.Length < 3 || columns[0] != "series_id" || columns[1] != "timestamp" || columns[2] != "value" || (columns.Length > 3 && columns[3] != "known_event"))
        {
            error = $"{path}: the header must be series_id,timestamp,value (optionally ,known_event), not '{header}'";
            return false;
        }

        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var cells = SplitCsv(line);
            if (cells.Count < 3 || cells.Count > columns.Length)
            {
                error = $"{path}:{lineNumber}: expected {columns.Length} columns, found {cells.Count}";
                return false;
            }

            var id = cells[0].Trim();
            if (id.Length == 0)
            {
                error = $"{path}:{lineNumber}: empty series_id";
                return false;
            }

            if (!TryTimestamp(cells[1], out var at))
            {
                error = $"{path}:{lineNumber}: timestamp '{cells[1]}' is not an ISO 8601 date or date and time";
                return false;
            }

            var text = cells[2].Trim();
            var value = double.NaN;
            if (text.Length > 0 && !text.Equals("nan", StringComparison.OrdinalIgnoreCase)
                && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value)))
            {
                error = $"{path}:{lineNumber}: value '{text}' is not a number (leave it empty for a missing value)";
                return false;
            }

            var knownEvent = false;
            if (cells.Count > 3 && !TryFlag(cells[3], out knownEvent))
            {
                error = $"{path}:{lineNumber}: known_event '{cells[3]}' is not 0, 1, true or false";
                return false;
            }

            if (!rows.TryGetValue(id, out var list))
            {
                rows[id] = list = [];
                order.Add(id);
            }

            list.Add((at, value, knownEvent, lineNumber));
        }

        if (rows.Count == 0)
        {
            error = $"{path}: no rows after the header";
            return false;
        }

        TimeSpan? step = null;
        foreach (var id in order)
        {
            var list = rows[id];
            list.Sort((a, b) => a.At.CompareTo(b.At));
            for (var i = 1; i < list.Count; i++)
            {
                var gap = list[i].At - list[i - 1].At;
                if (gap == TimeSpan.Zero)
                {
                    error = $"{path}:{list[i].Line}: duplicate timestamp {list[i].At:yyyy-MM-ddTHH:mm:ssZ} for series '{id}' (also on line {list[i - 1].Line})";
                    return false;
                }

                if (step is null || gap < step) step = gap;
            }
        }

        if (step is null)
        {
            error = $"{path}: every series has a single row; the step cannot be inferred";
            return false;
        }

        var origin = rows.Values.Min(l => l[0].At);
        var series = new List<TimeSeries>();
        var known = new List<bool[]?>();
        var present = new List<bool[]>();
        var offsets = new List<long>();
        foreach (var id in order)
        {
            var list = rows[id];
            var first = list[0].At;
            foreach (var row in list)
            {
                if ((row.At - origin).Ticks % step.Value.Ticks != 0)
                {
                    error = $"{path}:{row.Line}: timestamp {row.At:yyyy-MM-ddTHH:mm:ssZ} of series '{id}' is off the {step.Value} grid that starts at {origin:yyyy-MM-ddTHH:mm:ssZ}";
                    return false;
                }
            }

            var length = (int)((list[^1].At - first).Ticks / step.Value.Ticks) + 1;
            var values = new double[length];
            Array.Fill(values, double.NaN);
            var knownMask = new bool[length];
            var presentMask = new bool[length];
            foreach (var row in list)
            {
                var t = (int)((row.At - first).Ticks / step.Value.Ticks);
                values[t] = row.Value;
                knownMask[t] = row.Known;
                presentMask[t] = true;
            }

            series.Add(new TimeSeries(id, first, step.Value, values));
            known.Add(knownMask);
            present.Add(presentMask);
            offsets.Add((first - origin).Ticks / step.Value.Ticks);
        }

        table = new SeriesTable(series, known, present, offsets, step.Value);
        error = "";
        return true;
    }

    /// <summary>Reads kind,target,start,end[,eligible[,note]]; an empty target applies to every series (it excuses flags, is never a target).</summary>
    private static bool TryReadLabels(string path, out List<(LabelledWindow Window, bool Eligible)> windows, out string error)
    {
        windows = [];
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        var columns = header is null ? [] : SplitCsv(header).Select(c => c.Trim().ToLowerInvariant()).ToArray();
        if (columns.Length < 4 || columns[0] != "kind" || columns[1] != "target" || columns[2] != "start" || columns[3] != "end")
        {
            error = $"{path}: the header must be kind,target,start,end (optionally ,eligible), not '{header}'";
            return false;
        }

        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var cells = SplitCsv(line);
            if (cells.Count < 4 || cells[0].Trim().Length == 0 || !TryTimestamp(cells[2], out var start) || !TryTimestamp(cells[3], out var end) || end < start)
            {
                error = $"{path}:{lineNumber}: expected kind,target,start,end with ISO 8601 times and end ≥ start";
                return false;
            }

            var eligible = true;
            if (cells.Count > 4 && !TryFlag(cells[4], out eligible))
            {
                error = $"{path}:{lineNumber}: eligible '{cells[4]}' is not 0, 1, true or false";
                return false;
            }

            var target = cells[1].Trim();
            windows.Add((new LabelledWindow(cells[0].Trim(), target.Length == 0 ? null : target,
                new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero)), eligible));
        }

        error = "";
        return true;
    }

    private static bool TryOptions(TimeSpan step, string? seasonText, string? season2Text, double threshold, out SeriesDetectorOptions options, out string error)
    {
        var defaults = SeriesDetectorOptions.ForStep(step);
        options = defaults;
        if (!TryNumber(seasonText, "--season", defaults.SeasonLength, out var season, out error)) return false;
        var defaultSecond = seasonText is null ? defaults.SecondSeasonLength : 0;
        if (!TryNumber(season2Text, "--season2", defaultSecond, out var second, out error)) return false;
        options = defaults with { SeasonLength = (int)season, SecondSeasonLength = (int)second, Threshold = threshold };
        try
        {
            if (season != Math.Floor(season) || second != Math.Floor(second)) throw new ArgumentException("Season lengths must be whole numbers.");
            options.Validate();
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static bool TryTimestamp(string text, out DateTime at)
    {
        var inv = CultureInfo.InvariantCulture;
        var trimmed = text.Trim();
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", inv, DateTimeStyles.None, out var date))
        {
            at = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return true;
        }

        if (DateTimeOffset.TryParse(trimmed, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            at = time.UtcDateTime;
            return true;
        }

        at = default;
        return false;
    }

    private static bool TryFlag(string text, out bool flag)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "" or "0" or "false":
                flag = false;
                return true;
            case "1" or "true":
                flag = true;
                return true;
            default:
                flag = false;
                return false;
        }
    }

    private static bool TryNumber(string? text, string option, double fallback, out double value, out string error)
    {
        error = "";
        value = fallback;
        if (text is null) return true;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)) return true;
        error = $"{option} '{text}' is not a number";
        return false;
    }

    /// <summary>Splits one CSV line; fields may be quoted ("a,b" and "" for a quote).</summary>
    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString().TrimEnd('\r'));
        return cells;
    }

    private static string Describe(TimeSpan step) =>
        step.Ticks % TimeSpan.TicksPerDay == 0 ? $"{step.Ticks / TimeSpan.TicksPerDay}d"
        : step.Ticks % TimeSpan.TicksPerHour == 0 ? $"{step.Ticks / TimeSpan.TicksPerHour}h"
        : step.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{step.Ticks / TimeSpan.TicksPerMinute}m"
        : step.ToString("c", CultureInfo.InvariantCulture);

    private static string Csv(string text) => text.IndexOfAny([',', '"', '\n']) < 0 ? text : $"\"{text.Replace("\"", "\"\"")}\"";

    private static string Direction(AnomalyDirection direction) => direction switch
    {
        AnomalyDirection.Spike => "spike",
        AnomalyDirection.Drop => "drop",
        _ => "",
    };

    private static Option<string?> Text(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"{Name}: {message}");
        return 2;
    }

    /// <param name="Present">Per series and period: the input had a row there (a row with an empty value included).</param>
    /// <param name="Offsets">Periods from the earliest timestamp of the file to each series' first.</param>
    private sealed record SeriesTable(IReadOnlyList<TimeSeries> Series, IReadOnlyList<bool[]?> Known, IReadOnlyList<bool[]> Present, IReadOnlyList<long> Offsets, TimeSpan Step);
}
