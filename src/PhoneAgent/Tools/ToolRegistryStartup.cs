using PhoneAgent.AgentProfiles;

namespace PhoneAgent.Tools;

/// <summary>
/// Builds the tool registry when the host starts (an invalid tool stops the service) and checks that every profile
/// enables only registered tools. Registered after the profile catalog's start-up, so profiles are loaded first.
/// </summary>
internal sealed partial class ToolRegistryStartup(IServiceProvider services, ILogger<ToolRegistryStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<ToolRegistry>();
        var catalog = services.GetRequiredService<IAgentProfileCatalog>();
        var errors = new List<string>();
        foreach (var profile in catalog.All)
        {
            foreach (var name in profile.Tools.Enabled)
            {
                if (registry.Find(name) is null)
                {
                    errors.Add($"profile '{profile.Name}': $.tools.enabled names '{name}', which is not a registered tool (registered: {string.Join(", ", registry.Names)})");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ToolRegistryException(errors);
        }

        Log.ToolsRegistered(logger, string.Join(", ", registry.Names));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // EventIds 620-629 belong to this class.
    private static partial class Log
    {
        [LoggerMessage(620, LogLevel.Information, "Tools registered: {Tools}", EventName = "ToolsRegistered")]
        public static partial void ToolsRegistered(ILogger logger, string tools);
    }
}
