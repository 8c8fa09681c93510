using NAudio.Wave;
using PhoneAgent.AudioCodec.Tests.Signals;
using PhoneAgent.AudioCodec.Wav;

namespace PhoneAgent.AudioCodec.Tests;

public sealed class WavFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wav-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Pcm16_round_trips_sample_for_sample()
    {
        var samples = Tone.Noise16(4000, seed: 1);
        var path = Path.Combine(_folder, "pcm.wav");
        WavFile.WritePcm16(path, 16000, samples);

        var audio = WavFile.Read(path);
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(WavEncoding.Pcm16, audio.SourceEncoding);
        Assert.Equal(samples, Assert.Single(audio.Channels));
        Assert.Equal(TimeSpan.FromMilliseconds(250), audio.Duration);
    }

    [Fact]
    public void MuLaw_wav_decodes_with_the_G711_tables()
    {
        var codes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var path = Path.Combine(_folder, "ulaw.wav");
        WavFile.WriteMuLaw(path, codes);

        var audio = WavFile.Read(path);
        Assert.Equal(8000, audio.SampleRate);
        Assert.Equal(WavEncoding.MuLaw, audio.SourceEncoding);
        Assert.Equal(codes.Select(MuLaw.Decode), audio.Channels[0]);
    }

    [Fact]
    public void A_stereo_recording_yields_its_two_channels()
    {
        // Twilio dual-channel recordings: one channel per call leg, interleaved.
        var left = Tone.Noise16(800, seed: 2);
        var right = Tone.Noise16(800, seed: 3);
        var path = Path.Combine(_folder, "dual.wav");
        using (var writer = new WaveFileWriter(path, new WaveFormat(8000, 16, 2)))
        {
            var interleaved = left.Zip(right, (l, r) => new[] { l, r }).SelectMany(pair => pair).ToArray();
            writer.WriteSamples(interleaved, 0, interleaved.Length);
        }

        var audio = WavFile.Read(path);
        Assert.Equal(2, audio.Channels.Count);
        Assert.Equal(left, audio.Channels[0]);
        Assert.Equal(right, audio.Channels[1]);
    }

    [Fact]
    public void Unsupported_and_broken_files_get_a_clear_error_naming_the_file()
    {
        var eightBit = Path.Combine(_folder, "eight.wav");
        using (var writer = new WaveFileWriter(eightBit, new WaveFormat(8000, 8, 1)))
        {
            writer.Write(new byte[100], 0, 100);
        }

        var error = Assert.Throws<InvalidDataException>(() => WavFile.Read(eightBit));
        Assert.Contains("eight.wav", error.Message, StringComparison.Ordinal);
        Assert.Contains("PCM 16-bit", error.Message, StringComparison.Ordinal);

        var junk = Path.Combine(_folder, "junk.wav");
        File.WriteAllBytes(junk, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        Assert.Contains("junk.wav", Assert.Throws<InvalidDataException>(() => WavFile.Read(junk)).Message, StringComparison.Ordinal);
    }
}
