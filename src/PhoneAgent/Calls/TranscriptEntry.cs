namespace PhoneAgent.Calls;

/// <summary>One line of a call's transcript. ⚠️ Caller speech is PII: logged only with <c>Logging:Transcripts=true</c>.</summary>
/// <param name="At">Time since the stream started.</param>
/// <param name="Speaker"><c>caller</c>, <c>agent</c> or <c>system</c>.</param>
/// <param name="Text">What was said; for the agent, what the caller heard of it.</param>
/// <param name="Kind">What the line is.</param>
internal sealed record TranscriptEntry(TimeSpan At, string Speaker, string Text, TranscriptEntryKind Kind = TranscriptEntryKind.Speech);

internal enum TranscriptEntryKind
{
    /// <summary>Speech (the agent's as heard).</summary>
    Speech = 1,

    /// <summary>An agent turn the caller cut off: <see cref="TranscriptEntry.Text"/> is what was heard.</summary>
    Interrupted,

    /// <summary>A key press.</summary>
    Dtmf,

    /// <summary>Something the bridge told the model (greeting trigger, heard-text note, reprompt) or did (tool call, hang-up).</summary>
    Event,
}
