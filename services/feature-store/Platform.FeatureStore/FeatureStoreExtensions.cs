using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Features;
using Platform.Kafka;
using Platform.OfflineStore;
using Platform.OnlineStore;
using StackExchange.Redis;

namespace Platform.FeatureStore;

public static class FeatureStoreExtensions
{
    public static readonly IReadOnlyList<string> TopicsUsed =
        [Topics.OrdersValidated, Topics.OrdersLate, Topics.FeatureCategoryLines, Topics.FeaturesUpdated];

    /// <summary>Service key of the online store itself, without the read cache (what the streams write to).</summary>
    public const string RedisKey = "feature-store";
    private const string SnapshotsKey = "snapshots";

    /// <summary>
    /// Registers the feature schema, the online store (Redis, or in memory when FeatureStore:Redis is empty), the SKU
    /// and category streams, and what the HTTP API reads through (a bounded-staleness cache over the store).
    /// </summary>
    public static TBuilder AddFeatureStore<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<FeatureStoreOptions>().BindConfiguration(FeatureStoreOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // Event-time parameters are part of the schema (and its hash): a model is trained against one setting of them.
        var featureSection = builder.Configuration.GetSection($"{FeatureStoreOptions.SectionName}:Features");
        var defaults = new FeatureOptions();
        services.TryAddSingleton(new FeatureSchema(new FeatureOptions
        {
            GracePeriod = featureSection.GetValue("GracePeriod", defaults.GracePeriod),
            MaxFutureSkew = featureSection.GetValue("MaxFutureSkew", defaults.MaxFutureSkew),
            EwmaAlpha = featureSection.GetValue("EwmaAlpha", defaults.EwmaAlpha),
        }));
        services.TryAddSingleton<FeatureStoreMetrics>();

        var section = builder.Configuration.GetSection(FeatureStoreOptions.SectionName);
        var redis = section["Redis"];
        var ttl = section.GetValue("EntityTtl", TimeSpan.FromDays(8));
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton(sp => new InMemoryOnlineStore(new OnlineStoreOptions { EntityTtl = ttl }, sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IFeatureStateStore>(sp => sp.GetRequiredService<InMemoryOnlineStore>());
            services.AddKeyedSingleton<IOnlineFeatureStore>(RedisKey, (sp, _) => sp.GetRequiredService<InMemoryOnlineStore>());
        }
        else
        {
            services.AddKeyedSingleton<IConnectionMultiplexer>(RedisKey, (_, _) => ConnectionMultiplexer.Connect(redis));
            services.AddSingleton(sp => new RedisOnlineStore(
                sp.GetRequiredKeyedService<IConnectionMultiplexer>(RedisKey), new OnlineStoreOptions { EntityTtl = ttl },
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisOnlineStore>>()));
            services.AddSingleton<IFeatureStateStore>(sp => sp.GetRequiredService<RedisOnlineStore>());
            services.AddKeyedSingleton<IOnlineFeatureStore>(RedisKey, (sp, _) => sp.GetRequiredService<RedisOnlineStore>());
            // Output checkpoints must outlive the process and be shared by the instances of a group.
            services.AddSingleton<IOutputCheckpointStore>(sp => new RedisOutputCheckpointStore(sp.GetRequiredKeyedService<IConnectionMultiplexer>(RedisKey)));
        }

        // Readers (the HTTP API, inference in the same process) go through the cache; the streams write to the store itself.
        services.AddSingleton<IOnlineFeatureStore>(sp => new CachedOnlineFeatureStore(
            sp.GetRequiredKeyedService<IOnlineFeatureStore>(RedisKey),
            new CachedOnlineFeatureStoreOptions { MaxStaleness = sp.GetRequiredService<IOptions<FeatureStoreOptions>>().Value.ReadCacheStaleness },
            sp.GetRequiredService<TimeProvider>()));

        var group = section["ConsumerGroup"] ?? "feature-store";
        var flush = section.GetValue("FlushInterval", TimeSpan.FromMilliseconds(500));
        var maxLines = section.GetValue("MaxLinesPerFlush", 5000);
        var windowHours = section.GetValue("DemandWindowHours", FeatureStoreOptions.DefaultDemandWindowHours);
        var skuSettings = new FeatureStreamHandler.Settings(FeatureStreamHandler.SkuStream, group, EntityScope.Sku, ForwardCategoryLines: true, windowHours);
        var categorySettings = new FeatureStreamHandler.Settings(FeatureStreamHandler.CategoryStream, $"{group}-category", EntityScope.Category, ForwardCategoryLines: false);
        services.AddKeyedSingleton(FeatureStreamHandler.SkuStream, (sp, _) => CreateHandler(sp, skuSettings));
        services.AddKeyedSingleton(FeatureStreamHandler.CategoryStream, (sp, _) => CreateHandler(sp, categorySettings));
        services.AddBatchConsumer(
            new ConsumerHostOptions
            {
                Name = "feature-store",
                GroupId = skuSettings.ConsumerGroup,
                Topics = [Topics.OrdersValidated],
                OutputTopics = [Topics.OrdersLate, Topics.FeatureCategoryLines],
                MaxBatchSize = maxLines,
                MaxBatchWait = flush,
            },
            sp => sp.GetRequiredKeyedService<FeatureStreamHandler>(FeatureStreamHandler.SkuStream));
        services.AddBatchConsumer(
            new ConsumerHostOptions
            {
                Name = "feature-store-category",
                GroupId = categorySettings.ConsumerGroup,
                Topics = [Topics.FeatureCategoryLines],
                OutputTopics = [Topics.OrdersLate],
                MaxBatchSize = maxLines,
                MaxBatchWait = flush,
            },
            sp => sp.GetRequiredKeyedService<FeatureStreamHandler>(FeatureStreamHandler.CategoryStream));
        var offline = section["OfflineDirectory"];
        if (!string.IsNullOrWhiteSpace(offline))
        {
            services.AddSingleton(sp => new OfflineStoreWriter(offline, sp.GetRequiredService<FeatureSchema>(), sp.GetRequiredService<TimeProvider>()));
            services.AddKeyedSingleton(SnapshotsKey, (sp, _) => new OfflineStoreWriter(offline, sp.GetRequiredService<FeatureSchema>(), sp.GetRequiredService<TimeProvider>()));
            services.AddBatchConsumer(
                new ConsumerHostOptions
                {
                    Name = "feature-store-offline",
                    GroupId = $"{group}-offline",
                    Topics = [Topics.OrdersValidated],
                    MaxBatchSize = section.GetValue("OfflineMaxLinesPerFile", 200_000),
                    MaxBatchWait = section.GetValue("OfflineFlushInterval", TimeSpan.FromMinutes(1)),
                },
                sp => new OfflineLinesHandler(sp.GetRequiredService<OfflineStoreWriter>(), sp.GetRequiredService<ILogger<OfflineLinesHandler>>()));
        }

        services.AddFeaturesApi();
        services.Configure<FeaturesApiOptions>(builder.Configuration.GetSection(FeaturesApiOptions.SectionName));
        return builder;
    }

    /// <summary>GET /features/{sku}, POST /features/batch, GET /features/schema and the OpenAPI document at /openapi/v1.json.</summary>
    public static WebApplication MapFeatureStore(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapFeaturesApi();
        return app;
    }

    private static FeatureStreamHandler CreateHandler(IServiceProvider sp, FeatureStreamHandler.Settings settings) => new(
        settings,
        sp.GetRequiredService<FeatureSchema>(),
        sp.GetRequiredService<IFeatureStateStore>(),
        sp.GetRequiredService<FeatureStoreMetrics>(),
        sp.GetRequiredService<ILogger<FeatureStreamHandler>>(),
        settings.Stream == FeatureStreamHandler.SkuStream ? sp.GetKeyedService<OfflineStoreWriter>(SnapshotsKey) : null);
}
