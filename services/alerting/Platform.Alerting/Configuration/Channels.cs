namespace Platform.Alerting.Configuration;

public static class Channels
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string PagerDuty = "pagerduty";
}
