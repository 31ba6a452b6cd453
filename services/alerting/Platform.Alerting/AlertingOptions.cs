using System.ComponentModel.DataAnnotations;

namespace Platform.Alerting;

/// <summary>Alerting settings, section "Alerting". Routing, receivers and inhibit rules are in the YAML file, not here.</summary>
public sealed class AlertingOptions
{
    public const string SectionName = "Alerting";

    /// <summary>Value clients send in the X-Api-Key header; at least 16 characters. Set it from a secret.</summary>
    [Required(ErrorMessage = "Alerting:ApiKey is required (at least 16 characters); set it from a secret")]
    [MinLength(16, ErrorMessage = "Alerting:ApiKey must be at least 16 characters")]
    public string ApiKey { get; set; } = "";

    /// <summary>Path of the YAML routing file, re-read every <see cref="ConfigReloadInterval"/>. Wins over <see cref="ConfigYaml"/>.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>The YAML itself, when there is no file (embedded mode); it cannot change while running.</summary>
    public string? ConfigYaml { get; set; }

    /// <summary>How often the file is checked for a change (by content hash, so a ConfigMap's symlink swap is seen too).</summary>
    public TimeSpan ConfigReloadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// RabbitMQ URI for delivery, "amqp://user:password@host:5672/vhost"; empty uses MassTransit's in-memory transport
    /// (one process, messages lost on exit: embedded mode only).
    /// </summary>
    public string? RabbitMq { get; set; }

    /// <summary>Redis "host:port[,options]" for alert state, silences and the notification log; empty keeps them in memory.</summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every Redis key, so several installations can share one Redis.</summary>
    public string RedisKeyPrefix { get; set; } = "alerting:";

    /// <summary>Consume alerts.anomalies. False runs the API and delivery alone.</summary>
    public bool ConsumeAnomalies { get; set; } = true;

    public string ConsumerGroup { get; set; } = "alerting";

    /// <summary>How often groups are checked for a due notification and alerts for resolution; the resolution of every timing.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long resolved alerts and expired silences stay listed.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Name in PagerDuty's payload.source and client, and the Slack and webhook senders.</summary>
    public string Source { get; set; } = "platform-alerting";

    /// <summary>Where on-call staff reach this service (links in PagerDuty events); empty leaves links out.</summary>
    public string? ExternalUrl { get; set; }

    public DeliveryOptions Delivery { get; set; } = new();
}
