using MassTransit;

namespace Platform.Alerting.Delivery;

/// <summary>
/// What every channel consumer does around its POSTs: counts and logs a failed attempt (the retry policy then tries again
/// or, when retries are exhausted, moves the message to the error queue), and measures the delivery on success.
/// </summary>
internal static class DeliveryAttempt
{
    public static async Task RunAsync(
        ConsumeContext context, AlertNotification notification, string channel, AlertingMetrics metrics, TimeProvider time, ILogger logger, Func<CancellationToken, Task> deliver)
    {
        try
        {
            await deliver(context.CancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            metrics.NotificationFailed(notification.Receiver, channel, "attempt");
            logger.LogWarning("Delivery of notification {Id} ({Group}) to {Receiver}/{Channel} failed on attempt {Attempt}: {Reason}",
                notification.NotificationId, notification.GroupKey, notification.Receiver, channel, context.GetRetryAttempt() + 1, ex.Message);
            throw;
        }

        var latency = (time.GetUtcNow() - notification.CreatedAt).TotalMilliseconds;
        metrics.NotificationSent(notification.Receiver, channel, latency);
        logger.LogDebug("Notification {Id} delivered to {Receiver}/{Channel} in {Latency} ms", notification.NotificationId, notification.Receiver, channel, latency);
    }
}
