using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Platform.OnlineStore;
using StackExchange.Redis;

namespace Platform.Benchmarks;

/// <summary>
/// A redis-server of the online store benchmarks' own, on a free loopback port with persistence off, loaded through
/// <see cref="RedisOnlineStore"/> itself so that the data has exactly the production layout.
/// </summary>
public sealed class OnlineStoreBenchmarkRedis : IDisposable
{
    public const int FeaturesPerEntity = 25;

    private readonly Process _server;
    private readonly string _dataDir;

    private OnlineStoreBenchmarkRedis(Process server, string dataDir, ConnectionMultiplexer connection)
    {
        _server = server;
        _dataDir = dataDir;
        Connection = connection;
    }

    public ConnectionMultiplexer Connection { get; }

    public static OnlineStoreBenchmarkRedis Start()
    {
        var port = FreePort();
        var dataDir = Directory.CreateTempSubdirectory("bench-redis-").FullName;
        var server = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --loglevel warning --dir {dataDir}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        return new OnlineStoreBenchmarkRedis(server, dataDir, Connect($"127.0.0.1:{port}"));
    }

    /// <summary>
    /// Commits <paramref name="count"/> entities named <paramref name="keyPrefix"/>0, 1, … of
    /// <see cref="FeaturesPerEntity"/> features each, in flush-sized commits of one partition.
    /// </summary>
    public void Load(RedisOnlineStore writer, string keyPrefix, int count, Random random, string topic = "load")
    {
        var names = Enumerable.Range(0, FeaturesPerEntity).Select(i => $"feature_{i:00}_units_7d").ToArray();
        FeatureRow Row(int i) => new($"{keyPrefix}{i}", DateTimeOffset.UtcNow, "0f3c9a1b",
            names.ToDictionary(n => n, _ => Math.Round(random.NextDouble() * 1000, random.Next(0, 10))));

        const int PerCommit = 2_000;
        for (var start = 0; start < count; start += PerCommit)
        {
            var end = Math.Min(count, start + PerCommit);
            writer.CommitAsync(new PartitionCommit("bench", topic, 0, start == 0 ? null : start, end, [])
            {
                Features = Enumerable.Range(start, end - start).Select(Row).ToList(),
            }).GetAwaiter().GetResult();
        }
    }

    /// <summary>redis-server's CPU time so far (user + system, INFO cpu) and the MGET commands it has run (INFO needs allowAdmin).</summary>
    public (TimeSpan Cpu, long MgetCalls) ServerUsage()
    {
        var server = Connection.GetServer(Connection.GetEndPoints()[0]);
        var info = server.Info("all").SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var cpu = double.Parse(info["used_cpu_user"], CultureInfo.InvariantCulture) + double.Parse(info["used_cpu_sys"], CultureInfo.InvariantCulture);

        // cmdstat_mget:calls=N,usec=…; absent until the first MGET.
        var calls = info.TryGetValue("cmdstat_mget", out var mget)
            ? long.Parse(mget.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture)
            : 0;
        return (TimeSpan.FromSeconds(cpu), calls);
    }

    public void Dispose()
    {
        Connection.Dispose();
        if (!_server.HasExited)
        {
            _server.Kill();
            _server.WaitForExit();
        }

        _server.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static ConnectionMultiplexer Connect(string endpoint)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                var connection = ConnectionMultiplexer.Connect($"{endpoint},abortConnect=true,connectTimeout=1000,allowAdmin=true");
                connection.GetDatabase().Ping();
                return connection;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
