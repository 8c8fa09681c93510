using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using PhoneAgent.Telephony;
using PhoneAgent.Telephony.MediaStreams;
using PhoneAgent.Tools;

namespace PhoneAgent.Bridge;

internal static class BridgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the bridge: <see cref="CallSessionHandler"/> as the media stream handler, the call admission
    /// (concurrency, caller rate, pre-warm), the tools, <c>Bridge:*</c> options, and OpenTelemetry metrics (the
    /// <c>PhoneAgent.*</c> meters, ASP.NET Core and runtime instrumentation) for the Prometheus exporter on
    /// <c>/metrics</c>. Call before <c>AddTwilioEdge</c>, whose defaults are <c>TryAdd</c>.
    /// </summary>
    public static IServiceCollection AddBridge(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<BridgeOptions>().BindConfiguration(BridgeOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BridgeOptions>, BridgeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<BridgeMetrics>();
        services.TryAddSingleton(static sp => new HoldCueAudio(sp.GetService<IOptions<Options.PhoneAgentOptions>>()?.Value.ProfilesPath));
        services.TryAddSingleton<BridgeCallAdmission>();
        services.TryAddSingleton<ICallAdmission>(static sp => sp.GetRequiredService<BridgeCallAdmission>());
        services.TryAddSingleton<IMediaStreamHandler, CallSessionHandler>();
        services.AddTools();

        services.AddOpenTelemetry().WithMetrics(static metrics => metrics
            .AddMeter("PhoneAgent.*")
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c> (Prometheus text format).</summary>
    public static IEndpointRouteBuilder MapBridgeMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
