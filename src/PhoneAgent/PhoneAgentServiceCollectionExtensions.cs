using Microsoft.Extensions.DependencyInjection.Extensions;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Bridge;
using PhoneAgent.Data;
using PhoneAgent.Hosting;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Options;
using PhoneAgent.Telephony;

namespace PhoneAgent;

/// <summary>Registers everything the phone agent needs. Production registers with <c>TryAdd</c> so tests can swap services.</summary>
internal static class PhoneAgentServiceCollectionExtensions
{
    public static IServiceCollection AddPhoneAgent(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton(TimeProvider.System);
        services.AddPhoneAgentOptions();
        services.AddAgentProfiles();

        // Hosted services start in registration order: report the configuration first, then load the profiles,
        // so a profile error still leaves the configuration that led to it in the log.
        services.AddHostedService<StartupReport>();
        services.AddHostedService<AgentProfileCatalogStartup>();
        services.AddPhoneAgentData(); // before the services that use the database: it migrates at start
        services.AddGeminiLive();
        services.AddBridge();
        services.AddTwilioEdge();
        services.AddCallDrain();
        services.AddHostedService<Health.InstanceMetrics>();
        return services;
    }
}
