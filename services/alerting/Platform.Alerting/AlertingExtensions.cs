using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Alerting.Api;
using Platform.Alerting.Configuration;
using Platform.Alerting.Delivery;
using Platform.Alerting.Engine;
using Platform.Alerting.Ingest;
using Platform.Alerting.State;
using Platform.Contracts;
using Platform.Kafka;
using StackExchange.Redis;

namespace Platform.Alerting;

public static class AlertingExtensions
{
    /// <summary>Dead-letter topic of alerts.anomalies: unusable records with the reason in the dlq.* headers.</summary>
    public const string RejectedTopic = "alerts.anomalies.rejected";

    public static readonly IReadOnlyList<string> TopicsUsed = [Topics.AlertsAnomalies, RejectedTopic];

    /// <summary>Service key of the alerting Redis connection (a host embedding several services keeps them apart).</summary>
    public const string RedisKey = "alerting";

    /// <summary>
    /// Registers the alerting service from the "Alerting" section: routing configuration (file or inline YAML, reloaded),
    /// alert state (Redis, or memory when Alerting:Redis is empty), the engine and its timer, delivery over MassTransit
    /// (RabbitMQ when Alerting:RabbitMq is set, in-memory otherwise), the alerts.anomalies consumer (unless
    /// Alerting:ConsumeAnomalies is false) and what the HTTP API needs. Needs AddServiceDefaults (or AddKafka) for Kafka.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="configureTransport">Extra bus configuration after the endpoints (e.g. an error-queue reader in tests).</param>
    public static TBuilder AddAlerting<TBuilder>(this TBuilder builder, Action<IBusRegistrationContext, IBusFactoryConfigurator>? configureTransport = null)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(AlertingOptions.SectionName);
        var settings = new AlertingOptions();
        section.Bind(settings);

        services.AddOptions<AlertingOptions>().BindConfiguration(AlertingOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.EvaluationInterval > TimeSpan.Zero, "Alerting:EvaluationInterval must be more than zero")
            .Validate(o => o.ConfigReloadInterval > TimeSpan.Zero, "Alerting:ConfigReloadInterval must be more than zero")
            .Validate(o => o.Retention > TimeSpan.Zero, "Alerting:Retention must be more than zero")
            .Validate(o => string.IsNullOrWhiteSpace(o.RabbitMq) || RabbitMqAddress.TryParse(o.RabbitMq, out _),
                "Alerting:RabbitMq must be an amqp:// or amqps:// URI such as amqp://user:password@host:5672/vhost")
            .Validate(o => o.Delivery.RetryMinInterval >= TimeSpan.Zero && o.Delivery.RetryMaxInterval >= o.Delivery.RetryMinInterval,
                "Alerting:Delivery:RetryMaxInterval must be at least RetryMinInterval, both not negative")
            .Validate(o => o.Delivery.HttpTimeout > TimeSpan.Zero, "Alerting:Delivery:HttpTimeout must be more than zero")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertingMetrics>();
        services.TryAddSingleton<AlertingConfigSource>();
        // The watcher takes the source: building it at start loads the file, so a bad file stops the start with its reasons.
        services.AddHostedService<AlertingConfigWatcher>();

        if (string.IsNullOrWhiteSpace(settings.Redis))
        {
            services.TryAddSingleton<IAlertStateStore>(sp =>
            {
                sp.GetRequiredService<ILogger<InMemoryAlertStateStore>>().LogWarning(
                    "Alert state is in memory: a restart loses alerts, silences and the notification log. Set Alerting:Redis in deployments.");
                return new InMemoryAlertStateStore(sp.GetRequiredService<TimeProvider>());
            });
        }
        else
        {
            services.AddKeyedSingleton<IConnectionMultiplexer>(RedisKey, (_, _) => ConnectionMultiplexer.Connect(settings.Redis));
            services.TryAddSingleton<IAlertStateStore>(sp =>
                new RedisAlertStateStore(sp.GetRequiredKeyedService<IConnectionMultiplexer>(RedisKey), settings.RedisKeyPrefix));
        }

        services.AddHttpClient(DeliveryHttp.ClientName, (sp, client) =>
            client.Timeout = sp.GetRequiredService<IOptions<AlertingOptions>>().Value.Delivery.HttpTimeout);
        AddDeliveryBus(services, settings, configureTransport);
        services.TryAddSingleton<INotificationPublisher, BusNotificationPublisher>();
        services.TryAddSingleton(sp => new AlertEngine(
            sp.GetRequiredService<IAlertStateStore>(),
            sp.GetRequiredService<AlertingConfigSource>(),
            sp.GetRequiredService<INotificationPublisher>(),
            sp.GetRequiredService<AlertingMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AlertEngine>>(),
            sp.GetRequiredService<IOptions<AlertingOptions>>().Value.Retention));
        // After the bus: hosted services start in order, so the bus is up before the first evaluation publishes.
        services.AddHostedService<AlertEngineHost>();

        if (settings.ConsumeAnomalies)
        {
            services.AddBatchConsumer(
                new ConsumerHostOptions
                {
                    Name = "alerting",
                    GroupId = settings.ConsumerGroup,
                    Topics = [Topics.AlertsAnomalies],
                    OutputTopics = [RejectedTopic],
                    MaxBatchSize = 500,
                    MaxBatchWait = TimeSpan.FromMilliseconds(100),
                },
                sp => new AnomalyAlertHandler(
                    sp.GetRequiredService<AlertEngine>(), sp.GetRequiredService<AlertingMetrics>(), sp.GetRequiredService<ILogger<AnomalyAlertHandler>>()));
        }

        services.AddAlertingApi();
        return builder;
    }

    /// <summary>The API under /api/v1 (X-Api-Key) and the OpenAPI document at /openapi/v1.json.</summary>
    public static WebApplication MapAlerting(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapAlertingApi();
        return app;
    }

    private static void AddDeliveryBus(IServiceCollection services, AlertingOptions settings, Action<IBusRegistrationContext, IBusFactoryConfigurator>? configureTransport)
    {
        var delivery = settings.Delivery;
        void Retry<T>(IRegistrationContext _, IConsumerConfigurator<T> consumer)
            where T : class
        {
            consumer.UseMessageRetry(r =>
            {
                // A permanent refusal (4xx) goes straight to the error queue: retrying cannot change the answer.
                r.Ignore<PermanentDeliveryException>();
                r.Exponential(delivery.RetryLimit, delivery.RetryMinInterval, delivery.RetryMaxInterval, delivery.RetryIntervalDelta);
            });
        }

        services.AddMassTransit<IAlertingBus>(x =>
        {
            x.AddConsumer<WebhookDeliveryConsumer>(Retry).Endpoint(e =>
            {
                e.Name = DeliveryQueues.Webhook;
                e.ConcurrentMessageLimit = delivery.ConcurrentDeliveries;
            });
            x.AddConsumer<SlackDeliveryConsumer>(Retry).Endpoint(e =>
            {
                e.Name = DeliveryQueues.Slack;
                e.ConcurrentMessageLimit = delivery.ConcurrentDeliveries;
            });
            x.AddConsumer<PagerDutyDeliveryConsumer>(Retry).Endpoint(e =>
            {
                e.Name = DeliveryQueues.PagerDuty;
                e.ConcurrentMessageLimit = delivery.ConcurrentDeliveries;
            });
            x.AddConsumer<DeliveryFaultConsumer>().Endpoint(e => e.Name = DeliveryQueues.Faults);

            if (!string.IsNullOrWhiteSpace(settings.RabbitMq) && RabbitMqAddress.TryParse(settings.RabbitMq, out var address))
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
                    {
                        h.Username(address.Username);
                        h.Password(address.Password);
                        if (address.UseTls)
                        {
                            h.UseSsl(ssl => ssl.ServerName = address.Host);
                        }
                    });
                    cfg.ConfigureEndpoints(context);
                    configureTransport?.Invoke(context, cfg);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.ConfigureEndpoints(context);
                    configureTransport?.Invoke(context, cfg);
                });
            }
        });
    }
}
