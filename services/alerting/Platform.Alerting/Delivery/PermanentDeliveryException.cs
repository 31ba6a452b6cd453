namespace Platform.Alerting.Delivery;

/// <summary>
/// The receiver refused the notification in a way a retry cannot change (a 4xx other than 408 and 429, e.g. PagerDuty's
/// 400 for an invalid event). Not retried: the message goes straight to the error queue.
/// </summary>
public sealed class PermanentDeliveryException(string message) : Exception(message);
