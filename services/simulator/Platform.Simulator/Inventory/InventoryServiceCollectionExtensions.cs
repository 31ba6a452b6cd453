using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Kafka;

namespace Platform.Simulator.Inventory;

public static class InventoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the simulated inventory service as a hosted service that starts and stops with the application (needs
    /// <see cref="KafkaServiceCollectionExtensions.AddKafka"/>). Resolve <see cref="InventoryService"/> to read its book.
    /// </summary>
    public static IServiceCollection AddInventorySimulation(this IServiceCollection services, InventoryOptions options)
    {
        options.Validate();
        services.AddSingleton(sp => new InventoryService(
            options,
            sp.GetRequiredService<KafkaConnection>(),
            sp.GetRequiredService<PlatformProducer>(),
            sp.GetRequiredService<IOptions<KafkaOptions>>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<InventoryService>());
        return services;
    }
}
