using System.Buffers.Binary;
using PhoneAgent.AudioCodec.Resampling;

namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>Little-endian PCM16 conversions and the few signal helpers the emulator needs.</summary>
internal static class Pcm
{
    public static byte[] ToBytes(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        return bytes;
    }

    public static short[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        var samples = new short[bytes.Length / 2];
        FromBytes(bytes, samples);
        return samples;
    }

    /// <summary>Reads <paramref name="samples"/>.Length samples from <paramref name="bytes"/>.</summary>
    public static void FromBytes(ReadOnlySpan<byte> bytes, Span<short> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * i)..]);
        }
    }

    /// <summary>Resamples a whole clip to 24 kHz with AudioCodec (rates it supports), or linearly otherwise.</summary>
    public static short[] To24k(short[] samples, int sampleRate)
    {
        if (sampleRate == SpeechClip.SampleRate)
        {
            return samples;
        }

        if (ResamplerDesign.InputRates.Contains(sampleRate))
        {
            var resampler = StreamingResampler.Create(sampleRate, SpeechClip.SampleRate);
            var output = new short[resampler.GetOutputLength(samples.Length)];
            var written = resampler.Process(samples, output);
            return output[..written];
        }

        var length = (int)((long)samples.Length * SpeechClip.SampleRate / sampleRate);
        var result = new short[length];
        for (var i = 0; i < length; i++)
        {
            var position = (double)i * sampleRate / SpeechClip.SampleRate;
            var index = (int)position;
            var next = Math.Min(index + 1, samples.Length - 1);
            var fraction = position - index;
            result[i] = (short)Math.Round((samples[index] * (1 - fraction)) + (samples[next] * fraction));
        }

        return result;
    }

    /// <summary>Drops leading and trailing samples quieter than <paramref name="threshold"/>, keeping a short pad.</summary>
    public static short[] TrimSilence(short[] samples, int threshold, int pad)
    {
        var first = Array.FindIndex(samples, s => Math.Abs((int)s) > threshold);
        if (first < 0)
        {
            return samples;
        }

        var last = Array.FindLastIndex(samples, s => Math.Abs((int)s) > threshold);
        var start = Math.Max(0, first - pad);
        var end = Math.Min(samples.Length, last + 1 + pad);
        return samples[start..end];
    }

    /// <summary>Scales so the loudest sample reaches <paramref name="peak"/> (0..1 of full scale).</summary>
    public static void Normalize(short[] samples, double peak)
    {
        var max = 1;
        foreach (var s in samples)
        {
            max = Math.Max(max, Math.Abs((int)s));
        }

        var gain = peak * short.MaxValue / max;
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)Math.Clamp(Math.Round(samples[i] * gain), short.MinValue, short.MaxValue);
        }
    }
}
