namespace PhoneAgent.AgentProfiles;

/// <summary><c>fallback</c>: what happens when the agent cannot go on (model down, limits reached).</summary>
internal sealed record FallbackSettings
{
    /// <summary>Required.</summary>
    public FallbackAction Action { get; set; }

    /// <summary>Queue name for <see cref="FallbackAction.Enqueue"/>, E.164 number or SIP URI for <see cref="FallbackAction.Dial"/>; absent for <see cref="FallbackAction.Hangup"/>.</summary>
    public string? Target { get; set; }

    /// <summary>Required sentence said before the action, e.g. "Sorry, let me connect you with a colleague."</summary>
    public string Apology { get; set; } = "";
}
