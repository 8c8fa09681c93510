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
}
