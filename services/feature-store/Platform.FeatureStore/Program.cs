using Platform.FeatureStore;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("feature-store");
builder.AddFeatureStore();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapFeatureStore();
await app.Services.GetRequiredService<Platform.Kafka.KafkaConnection>().EnsureTopicsAsync(FeatureStoreExtensions.TopicsUsed);
app.Run();
