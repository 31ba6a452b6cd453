using Platform.Inference;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("inference");
builder.AddInference();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInference();
await app.Services.GetRequiredService<Platform.Kafka.KafkaConnection>().EnsureTopicsAsync(InferenceExtensions.TopicsUsed);
app.Run();
