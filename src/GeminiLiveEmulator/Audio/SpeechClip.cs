namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>Speech to play: PCM16 mono at 24 kHz and the text it says (the output transcription).</summary>
internal sealed record SpeechClip(string Text, short[] Samples, string Source)
{
    public const int SampleRate = 24000;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
