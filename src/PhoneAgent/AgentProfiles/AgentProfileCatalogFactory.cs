using Microsoft.Extensions.Options;
using PhoneAgent.Options;

namespace PhoneAgent.AgentProfiles;

/// <summary>Finds the profiles folder, loads the catalog and logs what was loaded.</summary>
internal sealed partial class AgentProfileCatalogFactory(
    IOptions<PhoneAgentOptions> options,
    IHostEnvironment environment,
    ILogger<AgentProfileCatalogFactory> logger)
{
    public AgentProfileCatalog Create()
    {
        var settings = options.Value;
        var directory = ProfilesDirectory.Locate(settings.ProfilesPath, environment.ContentRootPath, AppContext.BaseDirectory);
        Log.LoadingProfiles(logger, directory.FullPath);

        var catalog = AgentProfileLoader.Load(directory, settings.DefaultProfile, settings.BusinessHours);
        foreach (var profile in catalog.All)
        {
            Log.ProfileLoaded(logger, profile.Name, profile.Language, profile.Voice, profile.PhoneNumbers.Count, profile.Fallback.Action);
        }

        Log.ProfilesLoaded(logger, catalog.All.Count, catalog.Default.Name);
        return catalog;
    }
}
