namespace PhoneAgent.AgentProfiles;

/// <summary>
/// One agent persona: what it says, how it sounds, when it gives up. Loaded from <c>{ProfilesPath}/{name}.json</c>
/// (camelCase keys, unknown keys rejected) and validated by <see cref="AgentProfileValidator"/>.
/// </summary>
/// <remarks>
/// <para>
/// Add new sections (tools, transfer targets, business rules) as new properties with a default, a record of their own,
/// and rules in <see cref="AgentProfileValidator"/>; existing profile files stay valid.
/// </para>
/// <para>
/// Properties of the profile records have setters only because System.Text.Json source generation assigns every
/// init-only property (losing its default when the key is absent). Treat a loaded profile as read-only.
/// </para>
/// </remarks>
internal sealed record AgentProfile
{
    /// <summary>Required; must equal the file name without <c>.json</c>. Names are unique, case-insensitively.</summary>
    public string Name { get; set; } = "";

    /// <summary>Optional note for operators.</summary>
    public string? Description { get; set; }

    /// <summary>Required BCP-47 tag, e.g. <c>en-US</c>.</summary>
    public string Language { get; set; } = "";

    /// <summary>Required persona and rules given to the model.</summary>
    public string SystemInstruction { get; set; } = "";

    /// <summary>Required Gemini prebuilt voice name (case-sensitive), e.g. <c>Aoede</c>. See <see cref="GeminiVoices"/>.</summary>
    public string Voice { get; set; } = "";

    /// <summary>Required; what the agent says first, after <see cref="AiDisclosure"/>.</summary>
    public string Greeting { get; set; } = "";

    /// <summary>Required sentence said before the greeting, e.g. "You are speaking with an automated assistant."</summary>
    public string AiDisclosure { get; set; } = "";

    /// <summary>Called numbers (Twilio <c>To</c>, E.164) that select this profile. A number belongs to one profile only.</summary>
    public IReadOnlyList<string> PhoneNumbers { get; set; } = [];

    public BargeInSettings BargeIn { get; set; } = new();

    public VoiceActivitySettings VoiceActivity { get; set; } = new();

    public CallLimits Limits { get; set; } = new();

    /// <summary>Tools the model may call, and the hold cue while a blocking one runs.</summary>
    public ToolSettings Tools { get; set; } = new();

    /// <summary>Optional call recording (off by default).</summary>
    public RecordingSettings Recording { get; set; } = new();

    /// <summary>Required: what happens when the agent cannot go on.</summary>
    public FallbackSettings Fallback { get; set; } = new();

    /// <summary>Where <c>connect_to_human</c> sends the caller.</summary>
    public TransferSettings Transfer { get; set; } = new();

    /// <summary>How <c>verify_caller</c> checks the caller.</summary>
    public VerificationSettings Verification { get; set; } = new();

    /// <summary>What <c>process_refund</c> may grant on its own.</summary>
    public RefundSettings Refunds { get; set; } = new();

    /// <summary>Opening hours and the after-hours profile; <see langword="null"/>: always open, no callback hour check.</summary>
    public BusinessHoursSettings? BusinessHours { get; set; }

    /// <summary>Articles for <c>search_knowledge_base</c>.</summary>
    public KnowledgeSettings Knowledge { get; set; } = new();

    /// <summary>Google Search grounding for the model (sent only where the model's capability table allows it).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool GoogleSearch { get; set; }
}
