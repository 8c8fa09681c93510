using NAudio.Wave;

namespace PhoneAgent.AudioCodec.Wav;

/// <summary>WAV reading and writing for recordings and clips, on NAudio.Core's RIFF reader and writer.</summary>
/// <remarks>NAudio parses the container; sample decoding (μ-law, de-interleaving) is ours, so μ-law is bit-exact G.711.</remarks>
public static class WavFile
{
    /// <summary>Reads a PCM16, μ-law or 32-bit float WAV with any number of channels.</summary>
    /// <exception cref="InvalidDataException">The file is not a WAV this reader supports, or it is truncated.</exception>
    public static WavAudio Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a WAV from a stream (see <see cref="Read(string)"/>); <paramref name="name"/> appears in errors.</summary>
    public static WavAudio Read(Stream stream, string name = "stream")
    {
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(stream);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{name}: not a WAV file ({e.Message}).", e);
        }

        using (reader)
        {
            var format = reader.WaveFormat;
            var encoding = (format.Encoding, format.BitsPerSample) switch
            {
                (WaveFormatEncoding.Pcm, 16) => WavEncoding.Pcm16,
                (WaveFormatEncoding.MuLaw, 8) => WavEncoding.MuLaw,
                (WaveFormatEncoding.IeeeFloat, 32) => WavEncoding.IeeeFloat,
                (WaveFormatEncoding.Extensible, 16) => WavEncoding.Pcm16,
                _ => throw new InvalidDataException(
                    $"{name}: {format.Encoding} {format.BitsPerSample}-bit is not supported; use PCM 16-bit, μ-law or 32-bit float WAV."),
            };

            var bytes = new byte[reader.Length];
            var read = reader.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            var bytesPerSample = format.BitsPerSample / 8;
            var frames = read / (bytesPerSample * format.Channels);
            var channels = new short[format.Channels][];
            for (var c = 0; c < channels.Length; c++)
            {
                channels[c] = new short[frames];
            }

            var data = bytes.AsSpan(0, read);
            for (var i = 0; i < frames; i++)
            {
                for (var c = 0; c < channels.Length; c++)
                {
                    var at = ((i * format.Channels) + c) * bytesPerSample;
                    channels[c][i] = encoding switch
                    {
                        WavEncoding.Pcm16 => (short)(data[at] | (data[at + 1] << 8)),
                        WavEncoding.MuLaw => MuLaw.Decode(data[at]),
                        _ => (short)Math.Clamp(MathF.Round(BitConverter.ToSingle(data.Slice(at, 4)) * 32768f), short.MinValue, short.MaxValue),
                    };
                }
            }

            return new WavAudio(format.SampleRate, channels) { SourceEncoding = encoding };
        }
    }

    /// <summary>Writes mono 16-bit PCM.</summary>
    public static void WritePcm16(string path, int sampleRate, ReadOnlySpan<short> samples)
    {
        using var writer = new WaveFileWriter(path, new WaveFormat(sampleRate, 16, 1));
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            bytes[2 * i] = (byte)samples[i];
            bytes[(2 * i) + 1] = (byte)(samples[i] >> 8);
        }

        writer.Write(bytes, 0, bytes.Length);
    }

    /// <summary>Writes mono μ-law at 8 kHz (format tag 7), the way telephone audio is stored.</summary>
    public static void WriteMuLaw(string path, ReadOnlySpan<byte> codes)
    {
        using var writer = new WaveFileWriter(path, WaveFormat.CreateMuLawFormat(8000, 1));
        writer.Write(codes.ToArray(), 0, codes.Length);
    }
}
