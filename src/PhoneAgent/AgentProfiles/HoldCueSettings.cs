namespace PhoneAgent.AgentProfiles;

/// <summary><c>tools.holdCue</c>: what the caller hears while a blocking tool runs longer than <see cref="After"/>.</summary>
internal sealed record HoldCueSettings
{
    public static readonly TimeSpan MinAfter = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxAfter = TimeSpan.FromSeconds(30);

    /// <value>The default value is <see cref="HoldCueKind.Tone"/>.</value>
    public HoldCueKind Kind { get; set; } = HoldCueKind.Tone;

    /// <summary>A blocking tool still running after this long starts the cue; 00:00:00.200..00:00:30.</summary>
    /// <value>The default value is 1.5 seconds.</value>
    public TimeSpan After { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Tone frequency for <see cref="HoldCueKind.Tone"/>, 200..3400 Hz.</summary>
    /// <value>The default value is 440.</value>
    public int ToneHz { get; set; } = 440;

    /// <summary>WAV file (mono PCM16, any supported rate; relative to the profiles folder) for <see cref="HoldCueKind.Clip"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Clip { get; set; }
}
