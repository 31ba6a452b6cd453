using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Features;
using Platform.Forecasting.Registry;
using Platform.Inference.Models;
using Platform.Inference.Pipeline;
using Platform.Inference.Scoring;
using Platform.Kafka;
using Platform.OnlineStore;
using StackExchange.Redis;

namespace Platform.Inference;

public static class InferenceExtensions
{
    /// <summary>Topics the service consumes and produces (created at start when missing).</summary>
    public static readonly IReadOnlyList<string> TopicsUsed =
        [Topics.FeaturesUpdated, Topics.OrdersValidated, Topics.InventoryLevels, Topics.ForecastsDemand, Topics.AlertsAnomalies];

    /// <summary>Name of the consumer host (logs, metrics, readiness).</summary>
    public const string ConsumerName = "inference";

    /// <summary>Service key of the service's own Redis connection.</summary>
    public const string RedisKey = "inference";

    /// <summary>
    /// Registers the inference service: options (section "Inference", validated at start), the micro-batcher, the model
    /// reloader (first load before the consumer starts), the online store reads (Redis, or the in-process store of an
    /// embedded feature store when Inference:Redis is empty), the consumer of features.updated, orders.validated and
    /// inventory.levels, and the readiness check "model". Call after AddServiceDefaults (which registers Kafka).
    /// </summary>
    public static TBuilder AddInference<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(InferenceOptions.SectionName);
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InferenceMetrics>();

        // The schema models must match: the one an embedded feature store runs, else one built from the same settings.
        var featureSection = builder.Configuration.GetSection("FeatureStore:Features");
        var defaults = new FeatureOptions();
        services.TryAddSingleton(new FeatureSchema(new FeatureOptions
        {
            GracePeriod = featureSection.GetValue("GracePeriod", defaults.GracePeriod),
            MaxFutureSkew = featureSection.GetValue("MaxFutureSkew", defaults.MaxFutureSkew),
            EwmaAlpha = featureSection.GetValue("EwmaAlpha", defaults.EwmaAlpha),
        }));
        services.TryAddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<InferenceOptions>>().Value.FeatureSchemaHash;
            return new ExpectedFeatureSchema(string.IsNullOrWhiteSpace(configured) ? sp.GetRequiredService<FeatureSchema>().Hash : configured);
        });

        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<InferenceOptions>>().Value;
            return new MicroBatcher(
                new MicroBatcherOptions { MaxBatchSize = o.MaxBatchSize, MaxQueueDelay = o.MaxQueueDelay, QueueCapacity = o.QueueCapacity },
                sp.GetRequiredService<InferenceMetrics>(),
                sp.GetRequiredService<ILogger<MicroBatcher>>());
        });
        services.TryAddSingleton<ModelReloader>();
        // Before the consumer host (registered below): hosted services start in order, so the first batch finds a model.
        services.AddHostedService(sp => sp.GetRequiredService<ModelReloader>());

        AddStores(services, section["Redis"]);
        services.TryAddSingleton(sp => new SkuForecaster(
            sp.GetRequiredKeyedService<IOnlineFeatureStore>(RedisKey),
            sp.GetRequiredKeyedService<IDemandWindowStore>(RedisKey),
            sp.GetRequiredService<MicroBatcher>(),
            sp.GetRequiredService<InferenceMetrics>(),
            sp.GetRequiredService<IOptions<InferenceOptions>>().Value.ModelWaitTimeout));
        services.TryAddSingleton(sp => new InferenceHandler(
            sp.GetRequiredService<SkuForecaster>(),
            sp.GetRequiredService<InferenceMetrics>(),
            sp.GetRequiredService<IOptions<InferenceOptions>>().Value.Anomalies,
            sp.GetRequiredService<ExpectedFeatureSchema>().Hash,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<InferenceHandler>>()));
        services.AddBatchConsumer(
            new ConsumerHostOptions
            {
                Name = ConsumerName,
                GroupId = section["ConsumerGroup"] ?? "inference",
                Topics = [Topics.FeaturesUpdated, Topics.OrdersValidated, Topics.InventoryLevels],
                OutputTopics = [Topics.ForecastsDemand, Topics.AlertsAnomalies],
                MaxBatchSize = section.GetValue("MaxRecordsPerBatch", 2000),
                MaxBatchWait = section.GetValue("BatchWait", TimeSpan.FromMilliseconds(100)),
            },
            sp => sp.GetRequiredService<InferenceHandler>());
        services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            "model", sp => new ModelReadyCheck(sp.GetRequiredService<MicroBatcher>()), Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, ["ready"]));
        return builder;
    }

    /// <summary>GET /inference/model: the version served, its execution provider, the pin and the refused versions.</summary>
    public static WebApplication MapInference(this WebApplication app)
    {
        app.MapGet("/inference/model", (MicroBatcher batcher, ModelReloader reloader, IOptionsMonitor<InferenceOptions> options) =>
        {
            var model = batcher.Model;
            var status = new ModelStatus(
                model?.Label,
                model?.ExecutionProvider,
                model?.FallbackReason,
                options.CurrentValue.ModelVersion,
                reloader.Refusals.ToDictionary(kv => ModelRegistry.FolderName(kv.Key), kv => kv.Value),
                batcher.Queued);
            return Results.Json(status, InferenceJsonContext.Default.ModelStatus);
        });
        return app;
    }

    private static void AddStores(IServiceCollection services, string? redis)
    {
        if (string.IsNullOrWhiteSpace(redis))
        {
            // Embedded: the feature store in this process keeps its rows and windows in memory; read them there.
            services.AddKeyedSingleton<InMemoryOnlineStore>(RedisKey, (sp, _) => sp.GetService<InMemoryOnlineStore>()
                ?? throw new InvalidOperationException(
                    "Inference:Redis is empty, so inference reads the online store of a feature store in this process, but none is registered: " +
                    "set Inference:Redis, or add the feature store (with FeatureStore:Redis empty) before AddInference."));
            services.AddKeyedSingleton<IOnlineFeatureStore>(RedisKey, (sp, key) => sp.GetRequiredKeyedService<InMemoryOnlineStore>(key));
            services.AddKeyedSingleton<IDemandWindowStore>(RedisKey, (sp, key) => sp.GetRequiredKeyedService<InMemoryOnlineStore>(key));
            return;
        }

        // A connection of its own: reads must not queue behind the feature store's flush transactions on a shared one.
        services.AddKeyedSingleton<IConnectionMultiplexer>(RedisKey, (_, _) => ConnectionMultiplexer.Connect(redis));
        services.AddKeyedSingleton(RedisKey, (sp, key) => new RedisOnlineStore(
            sp.GetRequiredKeyedService<IConnectionMultiplexer>(key), new OnlineStoreOptions(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RedisOnlineStore>>()));
        services.AddKeyedSingleton<IOnlineFeatureStore>(RedisKey, (sp, key) => sp.GetRequiredKeyedService<RedisOnlineStore>(key));
        services.AddKeyedSingleton<IDemandWindowStore>(RedisKey, (sp, key) => sp.GetRequiredKeyedService<RedisOnlineStore>(key));
        // Output checkpoints must outlive the process and be shared by the instances of the group.
        services.AddSingleton<IOutputCheckpointStore>(sp => new RedisOutputCheckpointStore(sp.GetRequiredKeyedService<IConnectionMultiplexer>(RedisKey)));
    }
}
