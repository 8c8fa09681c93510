using System.Collections.Frozen;

namespace PhoneAgent.AgentProfiles;

/// <inheritdoc cref="IAgentProfileCatalog"/>
internal sealed class AgentProfileCatalog : IAgentProfileCatalog
{
    private readonly FrozenDictionary<string, AgentProfile> _byName;
    private readonly FrozenDictionary<string, AgentProfile> _byPhoneNumber;

    /// <param name="profiles">Validated profiles (see <see cref="AgentProfileLoader"/>): unique names and numbers.</param>
    /// <param name="defaultProfile">Name of the profile for numbers no profile claims.</param>
    public AgentProfileCatalog(IEnumerable<AgentProfile> profiles, string defaultProfile)
    {
        All = [.. profiles.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
        _byName = All.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _byPhoneNumber = All
            .SelectMany(p => p.PhoneNumbers.Select(n => KeyValuePair.Create(n, p)))
            .ToFrozenDictionary(StringComparer.Ordinal);
        Default = Get(defaultProfile)
            ?? throw new ArgumentException($"No profile is named '{defaultProfile}'.", nameof(defaultProfile));
    }

    public AgentProfile Default { get; }

    public IReadOnlyList<AgentProfile> All { get; }

    public AgentProfile? Get(string name) => _byName.GetValueOrDefault(name);

    public AgentProfile Resolve(string? calledNumber) =>
        calledNumber is not null && _byPhoneNumber.TryGetValue(calledNumber.Trim(), out var profile) ? profile : Default;
}
