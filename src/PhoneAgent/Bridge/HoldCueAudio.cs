using System.Collections.Concurrent;
using PhoneAgent.AgentProfiles;
using PhoneAgent.AudioCodec;
using PhoneAgent.AudioCodec.Resampling;
using PhoneAgent.AudioCodec.Wav;

namespace PhoneAgent.Bridge;

/// <summary>
/// The hold cue of each profile as μ-law 8 kHz whole frames, built once: a soft 150 ms beep (−24 dBFS, 10 ms ramps)
/// every 2 s, or the profile's WAV clip. Played by the bridge, looped, while a blocking tool runs past
/// <c>tools.holdCue.after</c>.
/// </summary>
internal sealed class HoldCueAudio(string? profilesPath = null)
{
    private readonly ConcurrentDictionary<HoldCueSettings, byte[]> _cache = new();

    /// <summary>The cue's μ-law frames (length a multiple of 160), or empty for <see cref="HoldCueKind.Off"/>.</summary>
    public byte[] For(HoldCueSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Kind switch
        {
            HoldCueKind.Off => [],
            _ => _cache.GetOrAdd(settings, s => s.Kind == HoldCueKind.Clip ? Clip(s.Clip!) : Tone(s.ToneHz)),
        };
    }

    public static byte[] Tone(int frequencyHz)
    {
        const int Rate = 8000;
        const int Cycle = 2 * Rate;
        const int Beep = 150 * Rate / 1000;
        const int Ramp = 10 * Rate / 1000;
        var amplitude = 32767 * Math.Pow(10, -24 / 20.0) * Math.Sqrt(2);
        var samples = new short[Cycle];
        for (var i = 0; i < Beep; i++)
        {
            var gain = Math.Min(1.0, Math.Min(i, Beep - 1 - i) / (double)Ramp);
            samples[i] = (short)Math.Round(amplitude * gain * Math.Sin(2 * Math.PI * frequencyHz * i / Rate));
        }

        var codes = new byte[Cycle];
        MuLaw.Encode(samples, codes);
        return codes;
    }

    private byte[] Clip(string path)
    {
        var full = Path.IsPathRooted(path) || profilesPath is null ? path : Path.Combine(profilesPath, path);
        var wav = WavFile.Read(full);
        var input = wav.Channels[0];
        short[] samples;
        if (wav.SampleRate == 8000)
        {
            samples = input;
        }
        else
        {
            var resampler = StreamingResampler.Create(wav.SampleRate, 8000);
            samples = new short[resampler.GetOutputLength(input.Length)];
            resampler.Process(input, samples);
        }

        var frames = Math.Max(1, samples.Length / 160);
        var codes = new byte[frames * 160];
        Array.Fill(codes, MuLaw.Silence);
        MuLaw.Encode(samples.AsSpan(0, Math.Min(samples.Length, codes.Length)), codes);
        return codes;
    }
}
