namespace PhoneAgent.AgentProfiles;

/// <summary><c>tools</c>: which registered tools the model may call on this profile's calls, and the hold cue.</summary>
internal sealed record ToolSettings
{
    /// <summary>Names of registered tools (<c>Tools/</c>) declared to the model; unknown names fail the start.</summary>
    /// <value>The default value is <c>["end_call"]</c>: the agent can always hang up after its goodbye.</value>
    public IReadOnlyList<string> Enabled { get; set; } = ["end_call"];

    public HoldCueSettings HoldCue { get; set; } = new();
}
