using PhoneAgent.AudioCodec.Resampling;
using PhoneAgent.GeminiLiveEmulator.Audio;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

/// <summary>Caller audio for the tests: tone bursts, silence, and the shipped clips resampled to the caller's rate.</summary>
internal static class TestAudio
{
    /// <summary>A 1 kHz-ish tone burst at about −13 dBFS followed by silence: one caller utterance.</summary>
    public static short[] Utterance(int sampleRate, int speechMs = 400, int silenceMs = 500, double frequency = 440) =>
        [.. ToneSynthesizer.Tone(frequency, sampleRate * speechMs / 1000, sampleRate, 0.3), .. new short[sampleRate * silenceMs / 1000]];

    public static short[] Silence(int sampleRate, int ms) => new short[sampleRate * ms / 1000];

    /// <summary>A shipped clip (real speech) at 16 kHz.</summary>
    public static short[] Clip16k(string id)
    {
        Assert.True(ClipLibrary.Embedded.TryGet(id, out var clip));
        var resampler = StreamingResampler.Create(24000, 16000);
        var output = new short[resampler.GetOutputLength(clip.Samples.Length)];
        var written = resampler.Process(clip.Samples, output);
        return output[..written];
    }

    public static short[] ToSamples(byte[] pcm) => Pcm.FromBytes(pcm);
}
