using Platform.Alerting;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("alerting");
builder.AddAlerting();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAlerting();
await app.Services.GetRequiredService<Platform.Kafka.KafkaConnection>().EnsureTopicsAsync(AlertingExtensions.TopicsUsed);
app.Run();
