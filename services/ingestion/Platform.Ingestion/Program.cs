using Platform.Ingestion;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ingestion");
builder.AddIngestion();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIngestion();
await app.Services.GetRequiredService<Platform.Kafka.KafkaConnection>().EnsureTopicsAsync(IngestionExtensions.TopicsUsed);
app.Run();
