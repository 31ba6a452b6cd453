using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Ingestion.Dedup;
using Platform.Ingestion.Validation;
using Platform.Kafka;
using StackExchange.Redis;

namespace Platform.Ingestion;

public static class IngestionExtensions
{
    public static readonly IReadOnlyList<string> TopicsUsed = [Topics.OrdersRaw, Topics.OrdersValidated, Topics.OrdersRejected];

    /// <summary>Registers validation, dedup, the orders.raw consumer and what POST /orders needs.</summary>
    public static TBuilder AddIngestion<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => TryDecodeKey(o.CustomerHashKey) is { Length: >= 16 }, "Ingestion:CustomerHashKey must be base64 of at least 16 bytes")
            .ValidateOnStart();
        services.AddOptions<IngestionLimits>().BindConfiguration(IngestionLimits.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new OrderValidator(sp.GetRequiredService<IOptions<IngestionLimits>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new CustomerIdHasher(TryDecodeKey(sp.GetRequiredService<IOptions<IngestionOptions>>().Value.CustomerHashKey)));
        services.AddSingleton<OrderNormalizer>();
        services.AddSingleton<IngestionMetrics>();
        var redis = builder.Configuration[$"{IngestionOptions.SectionName}:Redis"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IOrderDedupStore>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<IngestionOptions>>().Value;
                sp.GetRequiredService<ILogger<InMemoryOrderDedupStore>>().LogWarning(
                    "Ingestion dedup state is in memory: a restart or a second instance will not see it. Set Ingestion:Redis in deployments.");
                return new InMemoryOrderDedupStore(options.DedupWindow, options.InMemoryDedupCapacity, sp.GetRequiredService<TimeProvider>());
            });
        }
        else
        {
            // One connection for dedup and output checkpoints: both must survive a restart and be shared by all instances.
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
            services.AddSingleton<IOrderDedupStore>(sp => new RedisOrderDedupStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<IngestionOptions>>().Value.DedupWindow));
            services.AddSingleton<IOutputCheckpointStore>(sp => new RedisOutputCheckpointStore(sp.GetRequiredService<IConnectionMultiplexer>()));
        }

        var consumer = builder.Configuration.GetSection($"{IngestionOptions.SectionName}:Consumer");
        services.AddBatchConsumer<OrderIngestionHandler>(new ConsumerHostOptions
        {
            Name = "ingestion",
            GroupId = builder.Configuration[$"{IngestionOptions.SectionName}:ConsumerGroup"] ?? "ingestion",
            Topics = [Topics.OrdersRaw],
            OutputTopics = [Topics.OrdersValidated, Topics.OrdersRejected],
            MaxBatchSize = consumer.GetValue("MaxBatchSize", 1000),
            MaxAttempts = consumer.GetValue("MaxAttempts", 8),
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapIngestion(this IEndpointRouteBuilder app)
    {
        app.MapPost("/orders", OrdersEndpoint.PostAsync)
            .WithName("PostOrders")
            .WithSummary("Submit one order event or an array of them")
            .WithDescription("Validates each order; accepted ones are queued on orders.raw (202), rejected ones are listed with a machine-readable reason and also published to orders.rejected.");
        return app;
    }

    private static byte[] TryDecodeKey(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
