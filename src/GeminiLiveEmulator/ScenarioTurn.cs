namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// One caller turn and the model's answer to it. Caller turns are counted across the session (and across resumed
/// connections): every committed caller utterance, <c>realtimeInput.text</c> or <c>clientContent</c> with
/// <c>turnComplete: true</c> (the greeting trigger included) takes the next turn of the scenario.
/// </summary>
public sealed class ScenarioTurn
{
    /// <summary>What the caller is expected to say: sent as the input transcription (the emulator does no ASR).</summary>
    public string? Caller { get; set; }

    /// <summary>The answer; with <see cref="ToolCalls"/> it is said before the calls (or while they run, when non-blocking).</summary>
    public ScenarioReply? Reply { get; set; }

    /// <summary>Functions the model calls in this turn (only those the client declared in setup).</summary>
    public IReadOnlyList<ScenarioToolCall> ToolCalls { get; set; } = [];

    /// <summary>Said once the tool responses arrive (blocking) or when they are scheduled (non-blocking).</summary>
    public ScenarioReply? AfterToolResponse { get; set; }

    /// <summary>Overrides <see cref="EmulatorOptions.ReplyLatency"/> for this turn.</summary>
    public int? ReplyLatencyMs { get; set; }
}
