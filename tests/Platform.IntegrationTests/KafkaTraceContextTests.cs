using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Platform.Kafka;

namespace Platform.IntegrationTests;

/// <summary>How the Kafka helpers pick a span's parent when records are handed on or made from many (no broker needed).</summary>
public sealed class KafkaTraceContextTests
{
    [Fact]
    public void Tracing_PublishWithNoSpanAroundItContinuesTheContextTheRecordCarries()
    {
        using var listener = Listen();
        Activity.Current = null;
        var source = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var headers = new Headers();
        KafkaTracing.Inject(source, headers);
        Assert.Equal($"00-{source.TraceId}-{source.SpanId}-01", Encoding.ASCII.GetString(headers.GetLastBytes(KafkaTracing.TraceParentHeader)));

        using var publish = KafkaTracing.StartPublish("forecasts.demand", headers);

        Assert.NotNull(publish);
        Assert.Equal(source.TraceId, publish.TraceId);
        Assert.Equal(source.SpanId, publish.ParentSpanId);
        // The record now names the publish span, once.
        Assert.Single(headers, h => h.Key == KafkaTracing.TraceParentHeader);
        Assert.Equal(publish.SpanId, KafkaTracing.Extract(headers).SpanId);
    }

    [Fact]
    public void Tracing_CreateSpanIsAChildOfTheNewestSourceAndLinksEverySource()
    {
        using var listener = Listen();
        Activity.Current = null;
        var sources = Enumerable.Range(0, 3)
            .Select(_ => new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded))
            .Prepend(default) // a line that came without a context
            .ToList();

        using var create = KafkaTracing.StartCreate("features.updated", "sku:S1", sources);

        Assert.NotNull(create);
        Assert.Equal(sources[^1].TraceId, create.TraceId);
        Assert.Equal(sources[^1].SpanId, create.ParentSpanId);
        Assert.Equal(sources.Skip(1).Select(s => s.SpanId.ToHexString()).Order(), create.Links.Select(l => l.Context.SpanId.ToHexString()).Order());
        Assert.Equal("sku:S1", create.GetTagItem("messaging.kafka.message.key"));
    }

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KafkaTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
