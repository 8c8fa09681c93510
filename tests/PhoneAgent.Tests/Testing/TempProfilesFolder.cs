using System.Text.Json.Nodes;
using PhoneAgent.AgentProfiles;

namespace PhoneAgent.Tests.Testing;

/// <summary>A throw-away profiles folder; messages name its files as <c>profiles/{file}</c>.</summary>
public sealed class TempProfilesFolder : IDisposable
{
    public TempProfilesFolder() => Directory.CreateDirectory(FullPath);

    public string FullPath { get; } = Path.Combine(Path.GetTempPath(), "phoneagent-profiles-" + Guid.NewGuid().ToString("N"));

    public TempProfilesFolder Write(string fileName, JsonNode json) => WriteText(fileName, json.ToJsonString());

    public TempProfilesFolder WriteText(string fileName, string text)
    {
        File.WriteAllText(Path.Combine(FullPath, fileName), text);
        return this;
    }

    internal AgentProfileCatalog Load(string defaultProfile) =>
        AgentProfileLoader.Load(new ProfilesDirectory("profiles", FullPath), defaultProfile);

    /// <summary>Loads, expects failure, and returns the collected errors.</summary>
    internal IReadOnlyList<string> LoadErrors(string defaultProfile) =>
        Assert.Throws<AgentProfileLoadException>(() => Load(defaultProfile)).Errors;

    public void Dispose() => Directory.Delete(FullPath, recursive: true);
}
