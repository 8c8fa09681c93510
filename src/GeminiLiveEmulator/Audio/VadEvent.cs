namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>Start or end of caller speech, at offsets into the session's input audio.</summary>
internal readonly record struct VadEvent(bool IsStart, TimeSpan SpeechStart, TimeSpan SpeechEnd)
{
    public TimeSpan SpeechDuration => SpeechEnd - SpeechStart;
}
