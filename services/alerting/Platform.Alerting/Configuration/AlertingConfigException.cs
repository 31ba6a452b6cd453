namespace Platform.Alerting.Configuration;

/// <summary>An alerting configuration that cannot be used; the message names every problem with its path in the file.</summary>
public sealed class AlertingConfigException(string message, Exception? inner = null) : Exception(message, inner);
