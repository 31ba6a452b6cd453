using System.Diagnostics;
using System.Net.Sockets;

namespace Platform.Alerting.Tests;

/// <summary>
/// A real RabbitMQ for the assembly: the local server when one answers on 5672, else Debian's rabbitmq-server started
/// here (and stopped again at the end). Each fixture gets a fresh virtual host, so runs never see each other's queues.
/// No server and none installable is a failure, never a skip (apt-get install -y rabbitmq-server).
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private const int Port = 5672;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private bool _startedHere;

    public string VirtualHost { get; } = $"alerting-test-{Guid.NewGuid():N}";

    /// <summary>amqp URI of the fixture's virtual host, for Alerting:RabbitMq.</summary>
    public string Uri => $"amqp://guest:guest@127.0.0.1:{Port}/{VirtualHost}";

    public async Task InitializeAsync()
    {
        if (!PortOpen())
        {
            await RunAsync("rabbitmq-server", "-detached", TimeSpan.FromSeconds(30), what: "starting RabbitMQ");
            _startedHere = true;
        }

        // The port opens before the node is ready for rabbitmqctl: wait on the node itself.
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await TryAsync("rabbitmq-diagnostics", "-q ping"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"RabbitMQ did not answer rabbitmq-diagnostics ping within {StartTimeout.TotalSeconds} s.");
            }

            await Task.Delay(500);
        }

        // ping answers once the Erlang node is up, before the broker application in it has booted.
        await RunAsync("rabbitmqctl", $"-q await_startup --timeout {(int)StartTimeout.TotalSeconds}", StartTimeout + TimeSpan.FromSeconds(10), "waiting for RabbitMQ to boot");

        await RunAsync("rabbitmqctl", $"-q add_vhost {VirtualHost}", TimeSpan.FromSeconds(30), "creating the test virtual host");
        await RunAsync("rabbitmqctl", $"-q set_permissions -p {VirtualHost} guest \".*\" \".*\" \".*\"", TimeSpan.FromSeconds(30), "granting guest the test virtual host");
    }

    public async Task DisposeAsync()
    {
        await TryAsync("rabbitmqctl", $"-q delete_vhost {VirtualHost}");
        if (_startedHere)
        {
            await TryAsync("rabbitmqctl", "-q stop");
        }
    }

    private static bool PortOpen()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> TryAsync(string file, string arguments)
    {
        try
        {
            await RunAsync(file, arguments, TimeSpan.FromSeconds(30), what: file);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string file, string arguments, TimeSpan timeout, string what)
    {
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Delivery tests need RabbitMQ: {file} is not installed (apt-get install -y rabbitmq-server).", ex);
        }

        using (process)
        {
            using var cts = new CancellationTokenSource(timeout);
            var output = process.StandardOutput.ReadToEndAsync(cts.Token);
            var error = process.StandardError.ReadToEndAsync(cts.Token);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{what}: {file} {arguments} did not finish within {timeout.TotalSeconds} s");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{what}: {file} {arguments} exited with {process.ExitCode}: {await error}{await output}");
            }
        }
    }
}
