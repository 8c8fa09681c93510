namespace PhoneAgent.AgentProfiles;

/// <summary><c>voiceActivity</c>: the model's automatic voice activity detection. Defaults follow Google's phone example.</summary>
internal sealed record VoiceActivitySettings
{
    public const int MinPrefixPaddingMs = 0;
    public const int MaxPrefixPaddingMs = 2000;
    public const int MinSilenceDurationMs = 100;
    public const int MaxSilenceDurationMs = 5000;

    /// <value>The default value is <see cref="SpeechSensitivity.Low"/>.</value>
    public SpeechSensitivity StartSensitivity { get; set; } = SpeechSensitivity.Low;

    /// <value>The default value is <see cref="SpeechSensitivity.Low"/>.</value>
    public SpeechSensitivity EndSensitivity { get; set; } = SpeechSensitivity.Low;

    /// <summary>Speech needed before a start of speech is committed, 0..2000 ms.</summary>
    /// <value>The default value is 100.</value>
    public int PrefixPaddingMs { get; set; } = 100;

    /// <summary>Silence needed before an end of speech is committed, 100..5000 ms (Google recommends 500-800).</summary>
    /// <value>The default value is 600.</value>
    public int SilenceDurationMs { get; set; } = 600;
}
