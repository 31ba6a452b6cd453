using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Kafka;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>Registers the Kafka options (section "Kafka"), the connection and the process's one producer.</summary>
    public static IServiceCollection AddKafka(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KafkaOptions>().Bind(configuration.GetSection(KafkaOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<KafkaConnection>();
        services.TryAddSingleton<PlatformProducer>();
        services.TryAddSingleton<IOutputCheckpointStore, InMemoryOutputCheckpointStore>();
        return services;
    }

    /// <summary>
    /// Adds a <see cref="BatchConsumerHost"/> running <typeparamref name="THandler"/>, and a readiness check that
    /// passes once the consumer has partitions assigned.
    /// </summary>
    public static IServiceCollection AddBatchConsumer<THandler>(this IServiceCollection services, ConsumerHostOptions options)
        where THandler : class, IBatchHandler
    {
        services.TryAddSingleton<THandler>();
        return services.AddBatchConsumer(options, sp => sp.GetRequiredService<THandler>());
    }

    /// <summary>
    /// Adds a <see cref="BatchConsumerHost"/> whose handler <paramref name="handlerFactory"/> builds (for several hosts
    /// running the same handler type with different settings), and its readiness check.
    /// </summary>
    public static IServiceCollection AddBatchConsumer(this IServiceCollection services, ConsumerHostOptions options, Func<IServiceProvider, IBatchHandler> handlerFactory)
    {
        services.AddSingleton(sp => new BatchConsumerHost(
            options,
            handlerFactory(sp),
            sp.GetRequiredService<PlatformProducer>(),
            sp.GetRequiredService<KafkaConnection>(),
            sp.GetRequiredService<IOptions<KafkaOptions>>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<IOutputCheckpointStore>()));
        services.AddSingleton<IHostedService>(sp => sp.GetServices<BatchConsumerHost>().Single(h => h.Name == options.Name));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"consumer-{options.Name}",
            sp => new ConsumerReadyCheck(sp.GetServices<BatchConsumerHost>().Single(h => h.Name == options.Name)),
            HealthStatus.Unhealthy,
            ["ready"]));
        return services;
    }

    private sealed class ConsumerReadyCheck(BatchConsumerHost host) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(
                host.Fault is not null ? HealthCheckResult.Unhealthy($"consumer {host.Name} failed: {host.Fault.Message}")
                : host.AssignedPartitions == 0 ? HealthCheckResult.Unhealthy($"consumer {host.Name} has no partitions assigned")
                : HealthCheckResult.Healthy($"consumer {host.Name}: {host.AssignedPartitions} partitions, lag {host.Lag}"));
    }
}
