using System.CommandLine;
using System.Text.Json;
using Platform.Simulator;

namespace Platform.Cli;

/// <summary>
/// `platform simulate`: realistic, labelled synthetic orders, either published to orders.raw in real time
/// (--kafka) or written as fast as possible to a JSON-lines file (--output), with the ground truth beside them.
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var duration = new Option<int>("--duration") { Description = "Real seconds of stream to generate", DefaultValueFactory = _ => 60 };
        var rate = new Option<double>("--rate") { Description = "Mean valid orders per real second (weekly mean; seasonality modulates it)", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seed: same seed and options, same bytes", DefaultValueFactory = _ => 42 };
        var compression = new Option<double>("--compression") { Description = "Simulated seconds per real second", DefaultValueFactory = _ => 3600 };
        var skus = new Option<int>("--skus") { Description = "Catalog size", DefaultValueFactory = _ => 1000 };
        var malformed = new Option<double>("--malformed-share") { Description = "Share of malformed events", DefaultValueFactory = _ => 0.02 };
        var start = new Option<DateTimeOffset?>("--start") { Description = "Simulated start time; default: now - duration x compression, so the stream ends now" };
        var kafka = new Option<string?>("--kafka") { Description = "Publish to orders.raw at these bootstrap servers, paced in real time" };
        var output = new Option<FileInfo?>("--output") { Description = "Write events as JSON lines to this file instead (no pacing)" };
        var truth = new Option<FileInfo>("--ground-truth") { Description = "Where to write the ground truth (anomaly windows, bad events)", DefaultValueFactory = _ => new FileInfo("ground-truth.json") };
        var command = new Command("simulate", "Generate realistic orders with labelled anomalies and malformed events")
        {
            duration, rate, seed, compression, skus, malformed, start, kafka, output, truth,
        };
        command.SetAction(async (parse, ct) =>
        {
            var realDuration = TimeSpan.FromSeconds(parse.GetValue(duration));
            var options = new SimulatorOptions
            {
                Seed = parse.GetValue(seed),
                MeanOrdersPerSecond = parse.GetValue(rate),
                TimeCompression = parse.GetValue(compression),
                SkuCount = parse.GetValue(skus),
                MalformedShare = parse.GetValue(malformed),
                SimulatedStart = parse.GetValue(start) ?? DateTimeOffset.UtcNow - realDuration * parse.GetValue(compression),
            };
            var kafkaServers = parse.GetValue(kafka);
            var outputFile = parse.GetValue(output);
            if (kafkaServers is null && outputFile is null)
            {
                Console.Error.WriteLine("simulate: give --kafka BOOTSTRAP to publish or --output FILE to write JSON lines");
                return 2;
            }

            var simulator = new OrderSimulator(options);
            var events = simulator.Generate(realDuration);
            await using var truthStream = parse.GetValue(truth)!.Create();
            using var groundTruth = new GroundTruthWriter(truthStream, simulator, realDuration);
            var count = kafkaServers is not null
                ? await PacedPublisher.PublishAsync(kafkaServers, events, e => (e.RealOffset, e.Key, e.Payload), pace: true, groundTruth.Add, ct)
                : await WriteAsync(outputFile!, events, groundTruth, ct);
            groundTruth.Complete();
            Console.Error.WriteLine($"simulate: {count:N0} events, {simulator.Anomalies.Count} labelled anomalies; ground truth in {parse.GetValue(truth)!.FullName}");
            return 0;
        });
        return command;
    }

    private static async Task<long> WriteAsync(FileInfo file, IEnumerable<SimulatedEvent> events, GroundTruthWriter truth, CancellationToken ct)
    {
        await using var stream = file.Create();
        using var writer = new Utf8JsonWriter(stream);
        long count = 0;
        var newline = "\n"u8.ToArray();
        foreach (var e in events)
        {
            ct.ThrowIfCancellationRequested();
            writer.Reset(stream);
            writer.WriteStartObject();
            writer.WriteNumber("real_offset_ms", Math.Round(e.RealOffset.TotalMilliseconds, 3));
            writer.WriteString("key", e.Key);
            writer.WriteString("kind", e.Kind.ToString().ToLowerInvariant());
            if (e.ExpectedRejectionReason is not null)
            {
                writer.WriteString("expected_reason", e.ExpectedRejectionReason);
            }

            // Base64: malformed values may be invalid UTF-8 or contain newlines.
            writer.WriteBase64String("value_base64", e.Payload);
            writer.WriteEndObject();
            writer.Flush();
            stream.Write(newline);
            truth.Add(e);
            count++;
        }

        return count;
    }
}
