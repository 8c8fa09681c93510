namespace PhoneAgent.AgentProfiles;

/// <summary>
/// <c>recording</c>: Twilio call recording, started by <c>&lt;Start&gt;&lt;Recording&gt;</c> before
/// <c>&lt;Connect&gt;</c> (it does not delay the stream); the recording's id lands on the call record.
/// </summary>
internal sealed record RecordingSettings
{
    /// <value>The default value is <see langword="false"/>. Check the law where your callers are before turning it on.</value>
    public bool Enabled { get; set; }

    /// <summary><c>true</c> records caller and agent on separate channels.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DualChannel { get; set; } = true;
}
