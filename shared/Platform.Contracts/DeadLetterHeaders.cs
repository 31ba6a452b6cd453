namespace Platform.Contracts;

/// <summary>Kafka header names on dead-lettered and rejected records. Values are UTF-8 strings.</summary>
public static class DeadLetterHeaders
{
    public const string Reason = "dlq.reason";
    public const string SourceTopic = "dlq.source.topic";
    public const string SourcePartition = "dlq.source.partition";
    public const string SourceOffset = "dlq.source.offset";
    public const string ExceptionType = "dlq.exception.type";
    public const string ExceptionMessage = "dlq.exception.message";
}
