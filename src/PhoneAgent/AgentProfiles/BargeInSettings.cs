namespace PhoneAgent.AgentProfiles;

/// <summary><c>bargeIn</c>: whether the caller can talk over the agent.</summary>
internal sealed record BargeInSettings
{
    /// <value>The default value is <see cref="BargeInMode.Interrupt"/>.</value>
    public BargeInMode Mode { get; set; } = BargeInMode.Interrupt;
}
