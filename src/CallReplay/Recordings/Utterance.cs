namespace PhoneAgent.CallReplay.Recordings;

/// <summary>One stretch of the caller's speech in a recording.</summary>
/// <param name="Start">Where the speech starts, from the beginning of the recording.</param>
/// <param name="End">Where it ends (the "end of the caller's speech" that response latency counts from).</param>
/// <param name="Text">What is said (the emulator's scripted input transcription); empty when only detected from energy.</param>
public sealed record Utterance(TimeSpan Start, TimeSpan End, string Text)
{
    public TimeSpan Duration => End - Start;
}
