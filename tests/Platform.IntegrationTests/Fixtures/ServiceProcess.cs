using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>
/// A service as its own OS process (its build output next to the tests), so a test can SIGKILL it at an arbitrary
/// moment: no finally blocks, no drain, no flush, exactly like an OOM kill or a node loss.
/// </summary>
public sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    // A test host that dies must not leave ingestion processes running behind it.
    private static readonly ConcurrentDictionary<Process, byte> Running = new();

    static ServiceProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Keys)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    };

    private ServiceProcess(Process process)
    {
        _process = process;
        Running[process] = 0;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyCollection<string> Log => _log;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Outputs this process found already produced by its killed predecessor, from its recovery log line (waits for it;
    /// 0 when the partitions had no checkpoint to recover from).
    /// </summary>
    public async Task<int> RecoveredOutputsAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (_log.Any(line => line.Contains("nothing to recover", StringComparison.Ordinal) || line.Contains("but no output checkpoint", StringComparison.Ordinal)))
            {
                return 0;
            }

            var match = _log.Select(line => RecoveredLine().Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"no recovery log line:{Environment.NewLine}{string.Join(Environment.NewLine, _log)}");
    }

    public static ServiceProcess StartIngestion(string bootstrapServers, string redis, string group, int maxBatchSize = 200) =>
        Start("Platform.Ingestion.dll", bootstrapServers, new Dictionary<string, string>
        {
            ["Ingestion__CustomerHashKey"] = IngestionApp.CustomerHashKey,
            ["Ingestion__Redis"] = redis,
            ["Ingestion__ConsumerGroup"] = group,
            ["Ingestion__Consumer__MaxBatchSize"] = maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    public static ServiceProcess StartFeatureStore(string bootstrapServers, string redis, string group, int maxLinesPerFlush = 500) =>
        Start("Platform.FeatureStore.dll", bootstrapServers, new Dictionary<string, string>
        {
            ["FeatureStore__Redis"] = redis,
            ["FeatureStore__ConsumerGroup"] = group,
            ["FeatureStore__MaxLinesPerFlush"] = maxLinesPerFlush.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FeatureStore__FlushInterval"] = "00:00:00.200",
            ["Logging__LogLevel__Platform.FeatureStore"] = "Information",
        });

    public static ServiceProcess StartInference(string bootstrapServers, string redis, string registry, string group) =>
        Start("Platform.Inference.dll", bootstrapServers, new Dictionary<string, string>
        {
            ["Inference__Redis"] = redis,
            ["Inference__ModelRegistry"] = registry,
            ["Inference__ConsumerGroup"] = group,
            ["Inference__PreferCuda"] = "false",
            ["Inference__BatchWait"] = "00:00:00.050",
            ["Logging__LogLevel__Platform.Inference"] = "Information",
        });

    private static ServiceProcess Start(string dllName, string bootstrapServers, Dictionary<string, string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, dllName);
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Kafka__BootstrapServers"] = bootstrapServers;
        // The killed member never leaves the group: a short session lets the coordinator drop it quickly.
        start.Environment["Kafka__Consumer__session.timeout.ms"] = "3000";
        start.Environment["Kafka__Consumer__heartbeat.interval.ms"] = "300";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Platform.Kafka"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        start.Environment["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {dllName}"));
    }

    /// <summary>Waits for the log line of consumer <paramref name="consumer"/> getting partitions.</summary>
    public async Task WaitForAssignmentAsync(TimeSpan timeout, string consumer = "ingestion")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_log.Any(line => line.Contains($"Consumer {consumer}: assigned", StringComparison.Ordinal)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{consumer} got no partitions (exited: {_process.HasExited}):{Environment.NewLine}{string.Join(Environment.NewLine, _log)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        Running.TryRemove(_process, out _);
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 2000)
        {
            _log.TryDequeue(out _);
        }
    }

    [GeneratedRegex(@"; (\d+) were already produced for uncommitted input")]
    private static partial Regex RecoveredLine();
}
