using System.Buffers.Text;
using System.Text;
using Confluent.Kafka;

namespace Platform.Kafka;

/// <summary>
/// The provenance every consumer-host output carries: which input record produced it and its position among that
/// record's outputs. Value "{topic}:{partition}:{offset}:{sequence}" (UTF-8). Kafka topic names cannot contain ':'.
/// </summary>
/// <remarks>
/// A handler produces the same outputs in the same order for the same input record, so (input position, sequence)
/// names one output across redeliveries. <see cref="OutputRecovery"/> reads it back after a crash to tell which
/// outputs of uncommitted input records are already in Kafka.
/// </remarks>
public static class SourceHeader
{
    public const string Name = "platform.source";

    public static byte[] Encode(string topic, int partition, long offset, int sequence) =>
        Encoding.UTF8.GetBytes($"{topic}:{partition}:{offset}:{sequence}");

    public static bool TryParse(Headers? headers, out SourcePosition position)
    {
        position = default;
        if (headers is null || !headers.TryGetLastBytes(Name, out var value))
        {
            return false;
        }

        return TryParse(value, out position);
    }

    public static bool TryParse(ReadOnlySpan<byte> value, out SourcePosition position)
    {
        position = default;
        // Parse from the end: the last three fields are numbers, whatever precedes them is the topic.
        var lastColon = value.LastIndexOf((byte)':');
        if (lastColon <= 0 || !Utf8Parser.TryParse(value[(lastColon + 1)..], out int sequence, out var consumed) || consumed != value.Length - lastColon - 1)
        {
            return false;
        }

        var head = value[..lastColon];
        var offsetColon = head.LastIndexOf((byte)':');
        if (offsetColon <= 0 || !Utf8Parser.TryParse(head[(offsetColon + 1)..], out long offset, out consumed) || consumed != head.Length - offsetColon - 1)
        {
            return false;
        }

        head = head[..offsetColon];
        var partitionColon = head.LastIndexOf((byte)':');
        if (partitionColon <= 0 || !Utf8Parser.TryParse(head[(partitionColon + 1)..], out int partition, out consumed) || consumed != head.Length - partitionColon - 1)
        {
            return false;
        }

        position = new SourcePosition(Encoding.UTF8.GetString(head[..partitionColon]), partition, offset, sequence);
        return true;
    }
}

/// <summary>Input record position plus the output's sequence number among that record's outputs.</summary>
public readonly record struct SourcePosition(string Topic, int Partition, long Offset, int Sequence);
