namespace Platform.Alerting.Delivery;

/// <summary>Queue names; MassTransit moves messages that fail for good to "{name}_error".</summary>
public static class DeliveryQueues
{
    public const string Webhook = "alerting-webhook";
    public const string Slack = "alerting-slack";
    public const string PagerDuty = "alerting-pagerduty";
    public const string Faults = "alerting-delivery-faults";

    public static string ErrorQueue(string queue) => $"{queue}_error";
}
