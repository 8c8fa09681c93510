using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PhoneAgent.AgentProfiles;

internal static class AgentProfileServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IAgentProfileCatalog"/>, loaded once from <c>PhoneAgent:ProfilesPath</c>.</summary>
    public static IServiceCollection AddAgentProfiles(this IServiceCollection services)
    {
        services.TryAddSingleton<AgentProfileCatalogFactory>();
        services.TryAddSingleton<IAgentProfileCatalog>(static sp => sp.GetRequiredService<AgentProfileCatalogFactory>().Create());
        return services;
    }
}
