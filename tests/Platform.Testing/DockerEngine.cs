using System.Net.Sockets;

namespace Platform.Testing;

/// <summary>Whether Testcontainers can start containers here: DOCKER_HOST is set or the local socket answers.</summary>
public static class DockerEngine
{
    public static readonly bool IsReachable = Probe();

    private static bool Probe()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")))
        {
            return true;
        }

        const string socketPath = "/var/run/docker.sock";
        if (!File.Exists(socketPath))
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
