using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Platform.Alerting;
using Platform.FeatureStore;
using Platform.Inference;
using Platform.Ingestion;
using Platform.Kafka;
using Platform.OnlineStore;

namespace Platform.Deploy.Tests;

/// <summary>Every instrument the platform's code creates (meters named "Platform.*"), seen by a MeterListener.</summary>
internal static class PlatformInstruments
{
    public sealed record Instrument(string Name, string? Unit, string Kind);

    public static IReadOnlyList<Instrument> All { get; } = Discover();

    private static List<Instrument> Discover()
    {
        var found = new List<Instrument>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name.StartsWith("Platform.", StringComparison.Ordinal))
            {
                lock (found)
                {
                    found.Add(new Instrument(instrument.Name, instrument.Unit, KindOf(instrument)));
                }
            }
        };
        listener.Start();

        // Static meters are created by the classes' static constructors; instance meters by their constructors.
        foreach (var type in new[] { typeof(KafkaMetrics), typeof(IngestionMetrics), typeof(OnlineStoreMetrics) })
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }

        new IngestionMetrics().OrderAccepted(0);
        using var featureStore = new FeatureStoreMetrics();
        using var inference = new InferenceMetrics();
        using var alerting = new AlertingMetrics();
        return found.DistinctBy(i => i.Name).ToList();
    }

    private static string KindOf(System.Diagnostics.Metrics.Instrument instrument)
    {
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>))
        {
            return PrometheusNames.Counter;
        }

        return type == typeof(Histogram<>) ? PrometheusNames.Histogram : PrometheusNames.Gauge;
    }
}
