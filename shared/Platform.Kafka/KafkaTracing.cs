using System.Diagnostics;
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

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the "{topic} publish" span (when sampled) and writes the current context into <paramref name="headers"/>.</summary>
    public static Activity? StartPublish(string topic, Headers headers)
    {
        var activity = Source.StartActivity($"{topic} publish", ActivityKind.Producer);
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

        headers.Remove(TraceParentHeader);
        headers.Add(TraceParentHeader, Encoding.ASCII.GetBytes(activity.Id));
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            headers.Remove(TraceStateHeader);
            headers.Add(TraceStateHeader, Encoding.ASCII.GetBytes(activity.TraceStateString));
        }
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
            activity.SetTag("messaging.destination.partition.id", record.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetTag("messaging.kafka.offset", record.Offset.Value);
        }

        return activity;
    }
}
