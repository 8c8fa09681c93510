using System.Collections.Frozen;

namespace PhoneAgent.AgentProfiles;

/// <inheritdoc cref="IAgentProfileCatalog"/>
internal sealed class AgentProfileCatalog : IAgentProfileCatalog
{
    private readonly FrozenDictionary<string, AgentProfile> _byName;
    private readonly FrozenDictionary<string, AgentProfile> _byPhoneNumber;
    private readonly FrozenDictionary<string, BusinessSchedule> _schedules;
    private readonly FrozenDictionary<string, IReadOnlyList<string>> _knowledgeFiles;
    private readonly BusinessHoursMode _businessHours;

    /// <param name="profiles">Validated profiles (see <see cref="AgentProfileLoader"/>): unique names and numbers.</param>
    /// <param name="defaultProfile">Name of the profile for numbers no profile claims.</param>
    /// <param name="knowledgeFiles">Resolved knowledge article paths by profile name; absent means none.</param>
    /// <param name="businessHours">Whether <see cref="ResolveForCall"/> follows the clock (<c>PhoneAgent:BusinessHours</c>).</param>
    public AgentProfileCatalog(
        IEnumerable<AgentProfile> profiles,
        string defaultProfile,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? knowledgeFiles = null,
        BusinessHoursMode businessHours = BusinessHoursMode.Enforce)
    {
        _businessHours = businessHours;
        All = [.. profiles.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
        _byName = All.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _byPhoneNumber = All
            .SelectMany(p => p.PhoneNumbers.Select(n => KeyValuePair.Create(n, p)))
            .ToFrozenDictionary(StringComparer.Ordinal);
        _schedules = All
            .Where(p => p.BusinessHours is not null)
            .ToFrozenDictionary(p => p.Name, p => BusinessSchedule.From(p.BusinessHours!), StringComparer.OrdinalIgnoreCase);
        _knowledgeFiles = (knowledgeFiles ?? new Dictionary<string, IReadOnlyList<string>>())
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Default = Get(defaultProfile)
            ?? throw new ArgumentException($"No profile is named '{defaultProfile}'.", nameof(defaultProfile));
    }

    public AgentProfile Default { get; }

    public IReadOnlyList<AgentProfile> All { get; }

    public AgentProfile? Get(string name) => _byName.GetValueOrDefault(name);

    public AgentProfile Resolve(string? calledNumber) =>
        calledNumber is not null && _byPhoneNumber.TryGetValue(calledNumber.Trim(), out var profile) ? profile : Default;

    public AgentProfile ResolveForCall(string? calledNumber, DateTimeOffset now)
    {
        var profile = Resolve(calledNumber);
        if (profile.BusinessHours?.AfterHoursProfile is not { } afterHours || Get(afterHours) is not { } closed)
        {
            return profile;
        }

        return _businessHours switch
        {
            BusinessHoursMode.AlwaysOpen => profile,
            BusinessHoursMode.AlwaysClosed => closed,
            _ => ScheduleOf(profile) is { } schedule && !schedule.IsOpen(now) ? closed : profile,
        };
    }

    public BusinessSchedule? ScheduleOf(AgentProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return _schedules.GetValueOrDefault(profile.Name);
    }

    public IReadOnlyList<string> KnowledgeFiles(string profileName) => _knowledgeFiles.GetValueOrDefault(profileName) ?? [];
}
