using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using Platform.ServiceDefaults;

namespace Platform.IntegrationTests;

/// <summary>Logs as a collector receives them from a service: correlated with the trace they were written in.</summary>
public sealed class ServiceDefaultsLoggingTests
{
    private const string WorkSource = "Platform.IntegrationTests.LoggingWork";

    private static readonly ActivitySource Work = new(WorkSource);

    [Fact]
    public void Tracing_LogsWrittenInsideASpanCarryItsTraceAndSpanIdsWhenACollectorIsConfigured()
    {
        var records = new List<LogRecord>();
        using var listener = ListenToWork();
        using (var app = Build(otlpEndpoint: "http://127.0.0.1:4317", records))
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Platform.Test");
            using var span = Work.StartActivity("work");
            Assert.NotNull(span);
            logger.LogWarning("Rejected order {OrderId}", "T-1");

            var record = Assert.Single(records, r => r.CategoryName == "Platform.Test");
            Assert.Equal(span.TraceId, record.TraceId);
            Assert.Equal(span.SpanId, record.SpanId);
            Assert.Equal("Rejected order T-1", record.FormattedMessage);
            // The same ids as scope values, which every logging provider (the console's JSON formatter too) can write.
            var scopeValues = new Dictionary<string, object?>();
            record.ForEachScope((scope, values) =>
            {
                foreach (var (key, value) in scope)
                {
                    values[key] = value;
                }
            }, scopeValues);
            Assert.Equal(span.TraceId.ToHexString(), scopeValues["TraceId"]?.ToString());
            Assert.Equal(span.SpanId.ToHexString(), scopeValues["SpanId"]?.ToString());
        }
    }

    [Fact]
    public void Tracing_NoOpenTelemetryLogProviderWithoutACollector()
    {
        var records = new List<LogRecord>();
        using var app = Build(otlpEndpoint: null, records);
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Platform.Test").LogWarning("not exported");

        Assert.Empty(records);
    }

    private static WebApplication Build(string? otlpEndpoint, List<LogRecord> records)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:9",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint,
        });
        builder.AddServiceDefaults("logging-test");
        // Beside OTLP, and only on a logger provider the service defaults registered: configuring one adds none.
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(records));
        return builder.Build();
    }

    private static ActivityListener ListenToWork()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
