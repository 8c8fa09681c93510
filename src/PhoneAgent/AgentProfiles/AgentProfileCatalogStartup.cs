namespace PhoneAgent.AgentProfiles;

/// <summary>
/// Loads the agent profiles when the host starts, so an invalid profiles folder stops the service before it takes a
/// call. It resolves the catalog in <see cref="StartAsync"/> (not in its constructor) so that <c>StartupReport</c>
/// has logged the configuration first.
/// </summary>
internal sealed class AgentProfileCatalogStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IAgentProfileCatalog>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
