using System.Runtime.InteropServices;

namespace Platform.Kafka;

/// <summary>
/// librdkafka's built-in mock Kafka cluster: real Kafka protocol over loopback TCP, inside this process.
/// The embedded demo and the tests use it where no broker is installed; any Kafka client in any process can
/// connect to <see cref="BootstrapServers"/>.
/// </summary>
/// <remarks>
/// Limits of the mock (seen on librdkafka 2.16): each partition keeps about 5 MB (older records are
/// deleted), and the CreateTopics admin API is not served, so topics are created through
/// <see cref="CreateTopic"/>.
/// </remarks>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly object _gate = new();
    private IntPtr _handle;
    private IntPtr _cluster;

    public MockKafkaCluster(int brokerCount = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        LibrdkafkaNative.EnsureResolver();

        var error = new byte[512];
        var conf = LibrdkafkaNative.ConfNew();
        // The owning handle never talks to a broker; quiet its logging so it does not write to stderr.
        LibrdkafkaNative.ConfSet(conf, "log_level", "3", error, (UIntPtr)error.Length);
        _handle = LibrdkafkaNative.New(LibrdkafkaNative.ProducerType, conf, error, (UIntPtr)error.Length);
        if (_handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"rd_kafka_new failed: {ReadCString(error)}");
        }

        _cluster = LibrdkafkaNative.MockClusterNew(_handle, brokerCount);
        if (_cluster == IntPtr.Zero)
        {
            LibrdkafkaNative.Destroy(_handle);
            _handle = IntPtr.Zero;
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(LibrdkafkaNative.MockClusterBootstraps(_cluster))
            ?? throw new InvalidOperationException("mock cluster returned no bootstrap servers");
    }

    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>Creates a topic; succeeds silently when it exists already.</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            var err = LibrdkafkaNative.MockTopicCreate(_cluster, topic, partitions, Math.Min(replicationFactor, BrokerCount));
            // 36 = RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS
            if (err != 0 && err != 36)
            {
                throw new InvalidOperationException(
                    $"creating mock topic {topic}: {Marshal.PtrToStringUTF8(LibrdkafkaNative.ErrorToString(err))}");
            }
        }
    }

    /// <summary>Takes a broker down (fault injection for tests). Broker ids start at 1.</summary>
    public void SetBrokerDown(int brokerId) => Check(LibrdkafkaNative.MockBrokerSetDown(_cluster, brokerId));

    public void SetBrokerUp(int brokerId) => Check(LibrdkafkaNative.MockBrokerSetUp(_cluster, brokerId));

    /// <summary>
    /// Delays every response of broker <paramref name="brokerId"/> (1-based) by <paramref name="rtt"/>, as a slow network
    /// would. Requests are still handled at once: a produced record is in the log while its acknowledgement is on the way.
    /// </summary>
    public void SetBrokerRoundTrip(int brokerId, TimeSpan rtt) => Check(LibrdkafkaNative.MockBrokerSetRtt(_cluster, brokerId, (int)rtt.TotalMilliseconds));

    private static void Check(int err)
    {
        if (err != 0)
        {
            throw new InvalidOperationException(Marshal.PtrToStringUTF8(LibrdkafkaNative.ErrorToString(err)));
        }
    }

    private static string ReadCString(byte[] buffer)
    {
        var end = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != IntPtr.Zero)
            {
                LibrdkafkaNative.MockClusterDestroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_handle != IntPtr.Zero)
            {
                LibrdkafkaNative.Destroy(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }
}
