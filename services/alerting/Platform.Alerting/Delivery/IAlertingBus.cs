using MassTransit;

namespace Platform.Alerting.Delivery;

/// <summary>
/// The alerting service's own MassTransit bus (MassTransit's multi-bus), so a host that embeds alerting beside
/// other MassTransit users (the demo) keeps the two apart.
/// </summary>
public interface IAlertingBus : IBus;
