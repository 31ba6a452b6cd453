using System.Reflection;
using System.Runtime.InteropServices;

namespace Platform.Kafka;

/// <summary>
/// P/Invoke into librdkafka's mock cluster API (rdkafka_mock.h). Confluent.Kafka does not expose it.
/// </summary>
/// <remarks>
/// The default runtimes/linux-x64/native/librdkafka.so needs libsasl2.so.3, which Debian 12 lacks; the
/// centos8 build in the same folder is self-contained, so the resolver tries the default first and then
/// falls back to it, as Confluent.Kafka does for its own calls.
/// </remarks>
internal static partial class LibrdkafkaNative
{
    private const string Library = "librdkafka";

    static LibrdkafkaNative() => NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaNative).Assembly, Resolve);

    /// <summary>Forces the static constructor so the resolver is in place before the first call.</summary>
    internal static void EnsureResolver() { }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in CandidatePaths())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    private static IEnumerable<string> CandidatePaths()
    {
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
        yield return Path.Combine(native, "librdkafka.so");
        yield return Path.Combine(native, "centos8-librdkafka.so");
        yield return Path.Combine(native, "alpine-librdkafka.so");
        yield return Path.Combine(AppContext.BaseDirectory, "librdkafka.so");
    }

    internal const int ProducerType = 0;

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    internal static partial IntPtr ConfNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(IntPtr conf, string name, string value, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    internal static partial IntPtr New(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    internal static partial void Destroy(IntPtr rk);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial IntPtr MockClusterNew(IntPtr rk, int brokerCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    internal static partial void MockClusterDestroy(IntPtr cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial IntPtr MockClusterBootstraps(IntPtr cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MockTopicCreate(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_down")]
    internal static partial int MockBrokerSetDown(IntPtr cluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_up")]
    internal static partial int MockBrokerSetUp(IntPtr cluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    internal static partial int MockBrokerSetRtt(IntPtr cluster, int brokerId, int rttMs);

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    internal static partial IntPtr ErrorToString(int error);
}
