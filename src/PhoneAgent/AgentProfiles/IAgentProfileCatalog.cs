namespace PhoneAgent.AgentProfiles;

/// <summary>The validated agent profiles, loaded once at start.</summary>
internal interface IAgentProfileCatalog
{
    /// <summary>The profile named by <c>PhoneAgent:DefaultProfile</c>.</summary>
    AgentProfile Default { get; }

    /// <summary>Every profile, ordered by name.</summary>
    IReadOnlyList<AgentProfile> All { get; }

    /// <summary>The profile with this name (case-insensitive), or <see langword="null"/>.</summary>
    AgentProfile? Get(string name);

    /// <summary>The profile that claims the called number (Twilio <c>To</c>, E.164), else <see cref="Default"/>.</summary>
    AgentProfile Resolve(string? calledNumber);

    /// <summary>
    /// The profile that answers a call to <paramref name="calledNumber"/> at <paramref name="now"/>: as
    /// <see cref="Resolve"/>, switched to its <c>businessHours.afterHoursProfile</c> while its business is closed.
    /// </summary>
    AgentProfile ResolveForCall(string? calledNumber, DateTimeOffset now);

    /// <summary>The profile's opening hours, or <see langword="null"/> when it has none (always open).</summary>
    BusinessSchedule? ScheduleOf(AgentProfile profile);

    /// <summary>Full paths of the profile's knowledge articles (<c>knowledge.articles</c> resolved), sorted.</summary>
    IReadOnlyList<string> KnowledgeFiles(string profileName);
}
