using System.CommandLine;

namespace Platform.Cli;

/// <summary>`platform demo`: the whole platform in one process, fed by the simulator.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<int>("--duration") { Description = "Seconds to publish simulated orders", DefaultValueFactory = _ => 30 };
        var rate = new Option<double>("--rate") { Description = "Mean valid orders per second over the run", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Simulator seed (same seed, same orders)", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object on the last line of stdout" };
        var kafka = new Option<string?>("--kafka") { Description = "Kafka bootstrap servers; default: librdkafka's embedded mock cluster" };
        var redis = new Option<string?>("--redis") { Description = "Redis host:port for dedup, output checkpoints and the online feature store; default: in-memory stores" };
        var compression = new Option<double>("--compression") { Description = "Simulated seconds per real second; default: one simulated day per run" };
        var offline = new Option<string?>("--offline-dir") { Description = "Also append order lines and hourly feature snapshots as Parquet here (training data for `platform features export`)" };
        var webhook = new Option<string?>("--webhook") { Description = "Send alert notifications (PagerDuty Events API v2 events) to this URL; default: a receiver inside the demo that counts them" };
        var http = new Option<string>("--http") { Description = "Where POST /orders, /health and /metrics listen", DefaultValueFactory = _ => "http://127.0.0.1:0" };
        var command = new Command("demo", "Run simulator, Kafka (embedded unless --kafka) and the services in one process, then print a summary")
        {
            duration, rate, seed, json, kafka, redis, compression, http, offline, webhook,
        };
        command.SetAction((parse, ct) => new EmbeddedDemo(new EmbeddedDemo.Settings(
            TimeSpan.FromSeconds(parse.GetValue(duration)),
            parse.GetValue(rate),
            parse.GetValue(seed),
            parse.GetValue(json),
            parse.GetValue(kafka),
            parse.GetValue(redis),
            parse.GetValue(compression),
            parse.GetValue(http)!,
            parse.GetValue(offline),
            parse.GetValue(webhook))).RunAsync(ct));
        return command;
    }
}
