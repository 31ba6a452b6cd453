using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Platform.Kafka;

namespace Platform.ServiceDefaults;

/// <summary>What every service shares: OpenTelemetry traces, metrics and logs, health checks, Kafka connection.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Prefix of every meter and activity source the platform owns.</summary>
    public const string TelemetryPrefix = "Platform.";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(KafkaTracing.SourceName, TelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health") && !ctx.Request.Path.StartsWithSegments("/metrics")))
            .WithMetrics(metrics => metrics
                .AddMeter(KafkaMetrics.MeterName, TelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        // Every log written inside a span carries its trace and span ids (as scope values for any logging provider, and on
        // the OpenTelemetry log record), so a trace in Jaeger and the logs of the same order can be found from each other.
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        // OTLP only where a collector is configured (OTEL_EXPORTER_OTLP_ENDPOINT), so a laptop run logs no export errors.
        // Logs then go there too, through the OpenTelemetry logging provider, beside the console.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithLogging(configureBuilder: null, configureOptions: options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = true;
            });
            otel.UseOtlpExporter();
        }

        builder.Services.AddKafka(builder.Configuration);
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        return builder;
    }

    /// <summary>/health/live (process is up), /health/ready (every ready check passes), /metrics (Prometheus).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
