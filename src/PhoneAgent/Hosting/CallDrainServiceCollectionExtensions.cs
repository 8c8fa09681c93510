using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
        services.AddOptions<HostOptions>().Configure<IOptions<PhoneAgentOptions>>(static (host, agent) =>
            host.ShutdownTimeout = agent.Value.DrainTimeout + CallDrain.ShutdownMargin);
        return services;
    }
}
