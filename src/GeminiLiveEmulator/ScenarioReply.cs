namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// What the model says: a shipped clip by id (<c>"clip": "greeting"</c>), a WAV file of your own with its text
/// (<c>"wav"</c> + <c>"text"</c>), or just <c>"text"</c>. Text that a shipped clip says plays that clip; other text is
/// spoken with espeak-ng when the machine has it, else with the emulator's speech-like babble. The output transcription
/// is always the text. In <see cref="ScenarioTurn.AfterToolResponse"/>, text may hold placeholders such as
/// <c>{output}</c> or <c>{output.status}</c>, filled from the tool responses.
/// </summary>
public sealed class ScenarioReply
{
    /// <summary>The id of a shipped clip (see <c>clips/manifest.json</c>).</summary>
    public string? Clip { get; set; }

    /// <summary>The words spoken (required with <see cref="Wav"/>; a template after a tool response).</summary>
    public string? Text { get; set; }

    /// <summary>A PCM16 or μ-law WAV file (any rate), relative to the scenario file.</summary>
    public string? Wav { get; set; }

    /// <summary>The <see cref="Wav"/> file's samples at 24 kHz, read when the scenario is loaded.</summary>
    internal short[]? WavSamples { get; set; }

    public override string ToString() => Clip is not null ? $"clip {Clip}" : Wav is not null ? $"wav {Wav}" : $"text \"{Text}\"";
}
