using Platform.Alerting.Configuration;

namespace Platform.Alerting.Delivery;

/// <summary>
/// Hands a notification to the delivery queue of its integration's channel. Returns once the transport has it (RabbitMQ:
/// publisher-confirmed), so the engine records it in the notification log only then. Two implementations: the
/// MassTransit one, and the tests' recorder that lets the engine's timing be checked without a bus.
/// </summary>
public interface INotificationPublisher
{
    /// <param name="integration">Where it goes.</param>
    /// <param name="notification">What it says.</param>
    /// <param name="pagerDutyAction">For PagerDuty: "acknowledge" or "resolve" for all its alerts; null for the normal trigger/resolve by status.</param>
    /// <param name="ct">Cancels the hand-off.</param>
    Task PublishAsync(Integration integration, AlertNotification notification, string? pagerDutyAction, CancellationToken ct);
}
