using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PhoneAgent.Hosting;

internal static class ObservabilityServiceCollectionExtensions
{
    /// <summary>The standard OpenTelemetry variable that turns OTLP export on (metrics and traces).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Traces (ASP.NET Core server spans for the webhooks and the media stream, <see cref="PhoneAgentTelemetry"/> for
    /// tool calls), the CallSid logging scope of webhooks, and OTLP export of metrics and traces when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the other <c>OTEL_*</c> settings itself). The
    /// Prometheus <c>/metrics</c> endpoint stays on either way. <c>service.name</c> is <c>phoneagent</c> unless
    /// <c>OTEL_SERVICE_NAME</c> says otherwise.
    /// </summary>
    public static IServiceCollection AddPhoneAgentObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IStartupFilter, CallLogScopeStartupFilter>();
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService("phoneagent");
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(PhoneAgentTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = static context => !IsProbe(context.Request.Path));
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithMetrics(static metrics => metrics.AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Probes and scrapes are not traced: they would drown the calls.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz", StringComparison.Ordinal)
        || path.StartsWithSegments("/readyz", StringComparison.Ordinal)
        || path.StartsWithSegments("/metrics", StringComparison.Ordinal);
}
