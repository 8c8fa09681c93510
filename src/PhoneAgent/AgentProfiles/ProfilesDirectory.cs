using PhoneAgent.Options;

namespace PhoneAgent.AgentProfiles;

/// <summary>The profiles folder: as configured (for messages) and as found on disk.</summary>
internal sealed record ProfilesDirectory(string DisplayPath, string FullPath)
{
    /// <summary>How a file in this folder is named in messages: <c>profiles/customer-support.json</c>.</summary>
    public string Display(string fileName) => Path.Join(DisplayPath, fileName);

    /// <summary>
    /// Absolute paths are used as they are. Relative paths resolve against the content root (the project folder
    /// under <c>dotnet run</c>, the working directory otherwise), then against <paramref name="baseDirectory"/>, where
    /// the build copies the shipped profiles.
    /// </summary>
    public static ProfilesDirectory Locate(string configuredPath, string contentRoot, string baseDirectory)
    {
        var candidates = Path.IsPathRooted(configuredPath)
            ? [configuredPath]
            : new[] { Path.Combine(contentRoot, configuredPath), Path.Combine(baseDirectory, configuredPath) }
                .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToArray();

        var found = candidates.FirstOrDefault(Directory.Exists)
            ?? throw new AgentProfileLoadException(
                $"{PhoneAgentOptions.Key(nameof(PhoneAgentOptions.ProfilesPath))}: folder '{configuredPath}' was not found (looked in {string.Join(", ", candidates)})");
        return new ProfilesDirectory(configuredPath, found);
    }
}
