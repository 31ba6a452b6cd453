using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Platform.Kafka;

/// <summary>
/// W3C trace context across Kafka hops, following the OpenTelemetry messaging conventions: the producer
/// injects "traceparent" (and "tracestate") headers; the consumer starts a "{topic} process" span of kind
/// Consumer whose parent is the extracted context.
/// </summary>
public static class KafkaTracing
{
    public const string SourceName = "Platform.Kafka";
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <summary>Most links one span carries: OpenTelemetry's default span limit (SpanLimits.LinkCountLimit), beyond which the SDK drops them anyway.</summary>
    public const int MaxLinks = 128;

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the "{topic} publish" span (when sampled) and writes the current context into <paramref name="headers"/>.</summary>
    /// <remarks>
    /// With no span around it, a record that already carries a traceparent (handed on from the record it was made of)
    /// is published as a child of that context, so the trace goes on instead of a new one starting here.
    /// </remarks>
    public static Activity? StartPublish(string topic, Headers headers)
    {
        var parent = Activity.Current is null && Source.HasListeners() ? Extract(headers) : default;
        var activity = Source.StartActivity($"{topic} publish", ActivityKind.Producer, parent);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.destination.name", topic);
        }

        Inject(activity ?? Activity.Current, headers);
        return activity;
    }

    public static void Inject(Activity? activity, Headers headers)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C || activity.Id is null)
        {
            return;
        }

        Write(headers, activity.Id, activity.TraceStateString);
    }

    /// <summary>Writes <paramref name="context"/> as the record's parent (nothing when it is not a valid context).</summary>
    public static void Inject(ActivityContext context, Headers headers)
    {
        if (context.TraceId == default || context.SpanId == default)
        {
            return;
        }

        var flags = (context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        Write(headers, string.Create(CultureInfo.InvariantCulture, $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{flags}"), context.TraceState);
    }

    /// <summary>Reads the parent context a producer wrote; default when absent or malformed.</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null || !headers.TryGetLastBytes(TraceParentHeader, out var parent))
        {
            return default;
        }

        string? state = headers.TryGetLastBytes(TraceStateHeader, out var stateBytes) ? Encoding.ASCII.GetString(stateBytes) : null;
        return ActivityContext.TryParse(Encoding.ASCII.GetString(parent), state, isRemote: true, out var context)
            ? context
            : default;
    }

    /// <summary>Starts the "{topic} process" span for one consumed record, parented on the producer's context.</summary>
    public static Activity? StartProcess<TKey, TValue>(ConsumeResult<TKey, TValue> record)
    {
        var parent = Extract(record.Message.Headers);
        var activity = Source.StartActivity($"{record.Topic} process", ActivityKind.Consumer, parent);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", record.Topic);
            activity.SetTag("messaging.destination.partition.id", record.Partition.Value.ToString(CultureInfo.InvariantCulture));
            activity.SetTag("messaging.kafka.offset", record.Offset.Value);
        }

        return activity;
    }

    /// <summary>
    /// Starts the "{topic} create" span of one record made from many consumed ones (a coalesced notice): a child of the
    /// newest source, so that record's trace continues through it, and linked to every source (the newest
    /// <see cref="MaxLinks"/>), as the OpenTelemetry messaging conventions link a batch to its messages.
    /// </summary>
    /// <param name="sources">Contexts of the records it was made of, oldest first; default contexts are ignored.</param>
    public static Activity? StartCreate(string topic, string? key, IReadOnlyList<ActivityContext> sources)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext parent = default;
        var links = new List<ActivityLink>(Math.Min(sources.Count, MaxLinks));
        for (var i = sources.Count - 1; i >= 0 && links.Count < MaxLinks; i--)
        {
            var source = sources[i];
            if (source.TraceId == default)
            {
                continue;
            }

            if (parent == default)
            {
                parent = source;
            }

            links.Add(new ActivityLink(source));
        }

        var activity = Source.StartActivity(ActivityKind.Internal, parent, links: links, name: $"{topic} create");
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "create");
            activity.SetTag("messaging.destination.name", topic);
            if (key is not null)
            {
                activity.SetTag("messaging.kafka.message.key", key);
            }
        }

        return activity;
    }

    private static void Write(Headers headers, string traceParent, string? traceState)
    {
        headers.Remove(TraceParentHeader);
        headers.Add(TraceParentHeader, Encoding.ASCII.GetBytes(traceParent));
        headers.Remove(TraceStateHeader);
        if (!string.IsNullOrEmpty(traceState))
        {
            headers.Add(TraceStateHeader, Encoding.ASCII.GetBytes(traceState));
        }
    }
}
