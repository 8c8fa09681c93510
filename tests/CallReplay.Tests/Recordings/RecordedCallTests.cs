using PhoneAgent.AudioCodec;
using PhoneAgent.AudioCodec.Wav;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.CallReplay.Tests.Testing;

namespace PhoneAgent.CallReplay.Tests.Recordings;

public sealed class RecordedCallTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("callreplay-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(22050)]
    [InlineData(44100)]
    [InlineData(48000)]
    public void Wav_at_any_rate_becomes_8kHz_with_its_timing_kept(int rate)
    {
        var path = Path.Combine(_folder, $"tone-{rate}.wav");
        WavFile.WritePcm16(path, rate, Audio.Pcm(rate, 2000, 1000, (500, 1200)));

        var recording = RecordedCall.Load(path);

        Assert.Equal(16000, recording.MuLaw.Length, tolerance: 1);
        Assert.Equal(2000, recording.Duration.TotalMilliseconds, tolerance: 1);
        var u = Assert.Single(recording.Utterances);
        Assert.Equal(500, u.Start.TotalMilliseconds, tolerance: 10);
        Assert.Equal(1200, u.End.TotalMilliseconds, tolerance: 10);
        Assert.False(recording.HasTranscript);
        // The tone survives at its frequency: zero crossings over the burst's middle 0.5 s.
        var pcm = new short[recording.MuLaw.Length];
        MuLaw.Decode(recording.MuLaw.Span, pcm);
        var crossings = 0;
        for (var i = 5001; i < 9001; i++)
        {
            crossings += (pcm[i] >= 0) != (pcm[i - 1] >= 0) ? 1 : 0;
        }

        Assert.Equal(1000, crossings, tolerance: 4); // 0.5 s of 1 kHz: 500 cycles, two crossings each

    }

    [Fact]
    public void Mu_law_wav_and_raw_mu_law_load_byte_for_byte()
    {
        var audio = Audio.Bursts(1000, 440, (200, 600));
        var wav = Path.Combine(_folder, "call.wav");
        var raw = Path.Combine(_folder, "call.ulaw");
        WavFile.WriteMuLaw(wav, audio);
        File.WriteAllBytes(raw, audio);

        var fromWav = RecordedCall.Load(wav);
        var fromRaw = RecordedCall.Load(raw);

        Assert.Equal(audio, fromRaw.MuLaw.ToArray());
        Assert.Equal(audio.Select(c => c == 0x7F ? (byte)0xFF : c), fromWav.MuLaw.ToArray()); // -0 and +0 are one sample
        Assert.Contains("raw", fromRaw.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Dual_channel_twilio_recording_uses_the_caller_channel()
    {
        var caller = Audio.Pcm(8000, 1000, 500, (100, 300));
        var agent = Audio.Pcm(8000, 1000, 2000, (500, 900));
        var path = Path.Combine(_folder, "dual.wav");
        WriteStereo(path, caller, agent);

        var first = RecordedCall.Load(path);
        var second = RecordedCall.Load(path, new RecordingLoadOptions { CallerChannel = 1 });

        Assert.Equal(100, Assert.Single(first.Utterances).Start.TotalMilliseconds, tolerance: 10);
        Assert.Equal(500, Assert.Single(second.Utterances).Start.TotalMilliseconds, tolerance: 10);
        Assert.Contains("2 channels, caller channel 0", first.Source, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => RecordedCall.Load(path, new RecordingLoadOptions { CallerChannel = 2 }));
    }

    [Fact]
    public void Sidecar_transcript_gives_the_utterances_their_text()
    {
        var path = Path.Combine(_folder, "hello.ulaw");
        File.WriteAllBytes(path, Audio.Bursts(3000, 440, (500, 1500)));
        File.WriteAllText(Path.Combine(_folder, "hello.json"), """
            { "recording": "hello.ulaw", "utterances": [ { "startMs": 500, "endMs": 1500, "text": "Hello there." } ] }
            """);

        var recording = RecordedCall.Load(path);

        Assert.True(recording.HasTranscript);
        Assert.Equal(new Utterance(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500), "Hello there."), Assert.Single(recording.Utterances));
    }

    [Fact]
    public void A_bad_transcript_is_reported()
    {
        var path = Path.Combine(_folder, "bad.ulaw");
        File.WriteAllBytes(path, Audio.Silence(100));
        File.WriteAllText(Path.Combine(_folder, "bad.json"), """{ "utterances": [ { "startMs": 900, "endMs": 100, "text": "x" } ] }""");
        Assert.Throws<InvalidDataException>(() => RecordedCall.Load(path));
    }

    [Fact]
    public void Written_transcript_reads_back()
    {
        var recording = RecordedCall.FromMuLaw("x.ulaw", Audio.Bursts(2000, 440, (300, 700), (1500, 1800)));
        var path = Path.Combine(_folder, "x.json");
        TranscriptFile.Write(path, recording, recording.Utterances);
        Assert.Equal(recording.Utterances, TranscriptFile.Read(path));
        Assert.Equal(2, recording.Utterances.Count);
    }

    private static void WriteStereo(string path, short[] left, short[] right)
    {
        using var writer = new NAudio.Wave.WaveFileWriter(path, new NAudio.Wave.WaveFormat(8000, 16, 2));
        var bytes = new byte[left.Length * 4];
        for (var i = 0; i < left.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(4 * i), left[i]);
            BitConverter.TryWriteBytes(bytes.AsSpan((4 * i) + 2), right[i]);
        }

        writer.Write(bytes, 0, bytes.Length);
    }
}
