using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using Testcontainers.Redis;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// One real Redis for a test assembly: a Testcontainers Redis when a Docker engine is reachable, else a
/// redis-server started on a free port. Without either the fixture fails (never a silent skip). xunit only finds
/// collection definitions in the test assembly, so each test project declares its own <c>ICollectionFixture&lt;RedisFixture&gt;</c>.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisContainer? _container;
    private Process? _process;
    private string? _dataDir;

    public string Configuration { get; private set; } = "";

    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (DockerEngine.IsReachable)
        {
            _container = new RedisBuilder("redis:7.4-alpine").Build();
            await _container.StartAsync();
            Configuration = _container.GetConnectionString();
        }
        else
        {
            var port = FreePort();
            _dataDir = Directory.CreateTempSubdirectory("platform-redis-").FullName;
            try
            {
                _process = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --loglevel warning --dir {_dataDir}")
                {
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                });
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException(
                    "Integration tests need Redis: no Docker engine is reachable and redis-server is not installed (apt-get install -y redis-server).", ex);
            }

            Configuration = $"127.0.0.1:{port}";
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                Connection = await ConnectionMultiplexer.ConnectAsync($"{Configuration},abortConnect=false,connectTimeout=1000");
                await Connection.GetDatabase().PingAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                if (_process is { HasExited: true })
                {
                    throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} before accepting connections on {Configuration}.");
                }

                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        Connection?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_dataDir is not null)
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
