using Microsoft.Extensions.DependencyInjection.Extensions;
using PhoneAgent.Bridge;
using PhoneAgent.Options;
using PhoneAgent.Telephony;

namespace PhoneAgent.Hosting;

internal static class CallDrainServiceCollectionExtensions
{
    /// <summary>
    /// The drain on SIGTERM (<see cref="CallDrain"/>): its hosted service, the admission that refuses new calls while
    /// draining, and the host's shutdown timeout above <c>PhoneAgent:DrainTimeout</c>. Call after <c>AddBridge</c>.
    /// </summary>
    public static IServiceCollection AddCallDrain(this IServiceCollection services)
    {
        services.TryAddSingleton<CallDrain>();
        services.TryAddSingleton<ICallDrain>(static sp => sp.GetRequiredService<CallDrain>());
        services.AddHostedService(static sp => sp.GetRequiredService<CallDrain>());
        services.Replace(ServiceDescriptor.Singleton<ICallAdmission>(static sp => new DrainingCallAdmission(
            sp.GetRequiredService<BridgeCallAdmission>(), sp.GetRequiredService<ICallDrain>(), sp.GetRequiredService<BridgeMetrics>())));
        // Read the raw setting, not the validated options: the host resolves HostOptions before anything can log, so a
        // validation error thrown here would bypass the start-up report (the options' own validation reports it later).
        services.AddOptions<HostOptions>().Configure<IConfiguration>(static (host, configuration) =>
        {
            var drain = configuration.GetValue(PhoneAgentOptions.Key(nameof(PhoneAgentOptions.DrainTimeout)), PhoneAgentOptions.DefaultDrainTimeout);
            host.ShutdownTimeout = (drain > TimeSpan.Zero ? drain : TimeSpan.Zero) + CallDrain.ShutdownMargin;
        });
        return services;
    }
}
