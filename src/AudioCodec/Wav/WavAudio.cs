namespace PhoneAgent.AudioCodec.Wav;

/// <summary>Decoded WAV audio: 16-bit linear samples per channel (a Twilio dual-channel recording has two).</summary>
public sealed class WavAudio
{
    public WavAudio(int sampleRate, IReadOnlyList<short[]> channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0 || channels.Any(c => c.Length != channels[0].Length))
        {
            throw new ArgumentException("Audio needs at least one channel, all of the same length.", nameof(channels));
        }

        SampleRate = sampleRate;
        Channels = channels;
    }

    public int SampleRate { get; }

    public IReadOnlyList<short[]> Channels { get; }

    /// <summary>The encoding the file held (PCM16, μ-law, …); the samples are always linear 16-bit.</summary>
    public WavEncoding SourceEncoding { get; init; } = WavEncoding.Pcm16;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Channels[0].Length / SampleRate);
}

public enum WavEncoding
{
    Pcm16,
    MuLaw,
    IeeeFloat,
}
