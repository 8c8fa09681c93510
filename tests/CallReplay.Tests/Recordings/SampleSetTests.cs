using System.Text.Json;
using PhoneAgent.CallReplay.Load;
using PhoneAgent.CallReplay.Recordings;

namespace PhoneAgent.CallReplay.Tests.Recordings;

/// <summary>
/// The committed recordings in <c>samples/</c> (made by <c>samples/make-samples.sh</c>), as <c>CallReplay load
/// --recordings samples</c> reads them: every file loads, its transcript matches its audio, and the set holds every
/// format the load tool accepts.
/// </summary>
public sealed class SampleSetTests : IDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");
    private static readonly string[] AudioExtensions = [".wav", ".ulaw"];
    private readonly string _folder = Directory.CreateTempSubdirectory("callreplay-samples-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Recordings()
    {
        var data = new TheoryData<string>();
        foreach (var file in AudioFiles())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_load_tool_reads_every_committed_recording_with_its_transcript()
    {
        var files = AudioFiles();
        var recordings = RecordingSet.Load(Samples);

        Assert.Equal(files.Select(Path.GetFileName), recordings.Select(r => r.Name));
        Assert.True(recordings.Count >= 9, $"{recordings.Count} recordings");
        Assert.All(recordings, r =>
        {
            var sidecar = JsonDocument.Parse(File.ReadAllText(TranscriptFile.PathFor(Path.Combine(Samples, r.Name)))).RootElement;
            Assert.True(r.HasTranscript, r.Name);
            Assert.Equal(sidecar.GetProperty("utterances").GetArrayLength(), r.Utterances.Count);
            Assert.Equal(sidecar.GetProperty("durationMs").GetInt32(), r.Duration.TotalMilliseconds, tolerance: 1);
            Assert.All(r.Utterances, u => Assert.NotEmpty(u.Text));
            Assert.True(r.Utterances[^1].End <= r.Duration, $"{r.Name}: the last utterance ends after the audio");
        });
    }

    [Fact]
    public void The_set_holds_every_format_the_load_tool_accepts_and_stays_small()
    {
        var sources = RecordingSet.Load(Samples).Select(r => r.Source).ToList();

        Assert.Contains(sources, s => s == "WAV 8000 Hz MuLaw, mono");
        Assert.Contains(sources, s => s == "WAV 16000 Hz Pcm16, mono");
        Assert.Contains(sources, s => s == "WAV 44100 Hz Pcm16, mono");
        Assert.Contains(sources, s => s == "WAV 8000 Hz Pcm16, 2 channels, caller channel 0");
        Assert.Contains(sources, s => s.StartsWith("raw μ-law", StringComparison.Ordinal));
        var bytes = Directory.EnumerateFiles(Samples).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes < 2_000_000, $"samples/ holds {bytes:N0} bytes: keep the repository light");
    }

    /// <summary>
    /// Without its transcript, the load tool finds a recording's utterances from energy: the same number, where the
    /// transcript puts them, over the noisy lines and level changes too.
    /// </summary>
    [Theory]
    [MemberData(nameof(Recordings))]
    public void Without_its_transcript_the_load_tool_detects_the_same_utterances(string name)
    {
        var withTranscript = RecordedCall.Load(Path.Combine(Samples, name));
        var bare = Path.Combine(_folder, name);
        File.Copy(Path.Combine(Samples, name), bare);

        var detected = Assert.Single(RecordingSet.Load(_folder));

        Assert.False(detected.HasTranscript);
        Assert.Equal(withTranscript.Utterances.Count, detected.Utterances.Count);

        // The transcript brackets the clean speech (make-samples.sh trims it at -54 dBFS before the line noise goes
        // in). Over a quiet line energy finds the same edges within two frames; over a noisy one the soft onsets and
        // the tails of the last words sink into the noise, so the detected utterance is up to a few frames shorter.
        var floorDb = SpeechSegmenter.LevelDb(withTranscript.MuLaw.Span[..1600]); // the first 200 ms: the lead-in, no speech
        var tolerance = floorDb < -70 ? 40.0 : 150.0;
        Assert.All(withTranscript.Utterances.Zip(detected.Utterances), pair =>
        {
            Assert.Equal(pair.First.Start.TotalMilliseconds, pair.Second.Start.TotalMilliseconds, tolerance: tolerance);
            Assert.Equal(pair.First.End.TotalMilliseconds, pair.Second.End.TotalMilliseconds, tolerance: tolerance);
        });
    }

    [Fact]
    public void The_dual_channel_recording_replays_the_caller_channel_not_the_agent()
    {
        var path = Path.Combine(Samples, "after-hours-returns-dual.wav");
        var caller = RecordedCall.Load(path, new RecordingLoadOptions { TranscriptPath = TranscriptFile.PathFor(path) });
        var agent = new SpeechSegmenter().Detect(RecordedCall.Load(path, new RecordingLoadOptions { CallerChannel = 1 }).MuLaw.Span);

        // The agent speaks first (the greeting) and answers in the caller's pause: the second channel is not the caller.
        Assert.Equal(2, agent.Count);
        Assert.True(agent[0].Start < caller.Utterances[0].Start);
        Assert.InRange(agent[1].Start, caller.Utterances[0].End, caller.Utterances[1].Start);
        Assert.Equal(caller.Utterances.Count, new SpeechSegmenter().Detect(caller.MuLaw.Span).Count);
    }

    private static string[] AudioFiles() => [.. Directory.EnumerateFiles(Samples)
        .Where(f => AudioExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal)];
}
