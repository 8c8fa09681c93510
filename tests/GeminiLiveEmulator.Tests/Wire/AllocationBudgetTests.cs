using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.GeminiLiveEmulator.Audio;
using PhoneAgent.GeminiLiveEmulator.Hosting;
using PhoneAgent.GeminiLiveEmulator.Sessions;
using PhoneAgent.GeminiLiveEmulator.Wire;
using Xunit.Abstractions;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Wire;

/// <summary>
/// The emulator shares the machine with the service it stands in for, so its per-message garbage is part of every
/// capacity figure. These budgets are bytes allocated on the current thread per message (deterministic, unlike
/// timings); the input is what PhoneAgent sends 50 times a second per call and what a reply sends per chunk.
/// </summary>
public sealed class AllocationBudgetTests(ITestOutputHelper output)
{
    private const int Iterations = 2000;
    private static readonly LiveEndpoint DevAlpha = new(EmulatorBackend.DeveloperApi, "v1alpha", false);

    /// <summary>20 ms of 16 kHz caller audio (640 B of PCM, 856 base64 characters), as PhoneAgent sends it.</summary>
    private static byte[] AudioMessage(bool pythonShape)
    {
        var pcm = Pcm.ToBytes(ToneSynthesizer.Tone(440, 320, 16000, 0.3));
        var base64 = Convert.ToBase64String(pcm);
        return Encoding.UTF8.GetBytes(pythonShape
            ? "{\"realtime_input\": {\"audio\": {\"data\": \"" + base64.Replace('+', '-').Replace('/', '_').TrimEnd('=') + "\", \"mime_type\": \"audio/pcm;rate=16000\"}}}"
            : "{\"realtimeInput\":{\"audio\":{\"data\":\"" + base64 + "\",\"mimeType\":\"audio/pcm;rate=16000\"}}}");
    }

    private double BytesPer(string what, Action action)
    {
        for (var i = 0; i < 200; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            action();
        }

        var perCall = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / Iterations;
        output.WriteLine($"{what}: {perCall:0} B per message");
        return perCall;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RealtimeAudioMessage_ParsesWithinBudget(bool pythonShape)
    {
        var message = AudioMessage(pythonShape);
        var expected = Pcm.ToBytes(ToneSynthesizer.Tone(440, 320, 16000, 0.3));

        var parsed = Assert.IsType<RealtimeInputMessage>(ClientMessageParser.Parse(message, DevAlpha));
        var perMessage = BytesPer("parse", () => ClientMessageParser.Parse(message, DevAlpha));

        Assert.Equal(expected, parsed.Audio!.Pcm);
        Assert.Equal(16000, parsed.Audio.SampleRate);
        // The PCM itself (640 B) and a few small objects; the string, char[] and byte[] copies of the base64 are gone.
        Assert.InRange(perMessage, 0, 1024);
    }

    [Fact]
    public void CallerAudio_IsAnalysedAndLoggedWithinBudget()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var log = new EmulatorSessionLog("c1", EmulatorBackend.DeveloperApi, "/ws", "v1alpha", time.GetUtcNow(), 10_000);
        var recorder = new SessionRecorder(log, NullLogger.Instance, time);
        var analyzer = new CallerAudioAnalyzer(new VoiceActivityDetector(VadSettings.From(new RealtimeInputSettings())));
        var events = new List<VadEvent>();
        var pcm = new byte[640];

        var perMessage = BytesPer("analyse + record", () =>
        {
            analyzer.Process(pcm, 16000, events);
            recorder.ReceivedAudio("realtimeInput.audio", pcm.Length, 16000, "audio/pcm;rate=16000");
            time.Advance(TimeSpan.FromMilliseconds(20));
        });

        var entries = log.Received("realtimeInput.audio");
        Assert.Equal((200 + Iterations) / 50, entries.Count);
        Assert.Equal("32000 B (1000 ms, audio/pcm;rate=16000) in 50 messages", entries[1].Text);
        Assert.Equal(50 * 640, entries[1].AudioBytes);
        // One log entry per 50 messages; no samples array, no entry and no log text per message.
        Assert.InRange(perMessage, 0, 64);
    }

    [Theory]
    [InlineData("developer-api-2.x", 3200)]
    [InlineData("developer-api-3.x", 9120)]
    [InlineData("vertex", 11520)]
    public void AudioChunkFrame_BuildsWithinBudget(string flavorName, int chunkBytes)
    {
        var flavor = new[] { WireFlavor.DeveloperApi2, WireFlavor.DeveloperApi3, WireFlavor.Vertex }.Single(f => f.Name == flavorName);
        var pcm = Pcm.ToBytes(ToneSynthesizer.Tone(440, chunkBytes / 2, 24000, 0.3));
        var frameBytes = ServerMessages.Audio(flavor, pcm, null).Utf8.Length;

        var perFrame = BytesPer($"audio frame ({frameBytes} B on the wire)", () => ServerMessages.Audio(flavor, pcm, null));

        // The frame's own bytes plus a few hundred for the frame record and its summary.
        Assert.InRange(perFrame, frameBytes, frameBytes + 600);
    }

    [Fact]
    public void ReplyPlan_OfAShippedClip_IsMadeOnceForEverySession()
    {
        var clip = ClipLibrary.Embedded.TryGet(ClipLibrary.Embedded.Ids[0], out var found) ? found : throw new InvalidOperationException();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var fresh = ReplyPlan.Create(clip, clip.Samples, WireFlavor.DeveloperApi3, 4);
        output.WriteLine($"a new plan: {GC.GetAllocatedBytesForCurrentThread() - before} B");

        var first = ReplyPlan.For(clip, WireFlavor.DeveloperApi3, 4);
        var perReply = BytesPer("reply plan", () => ReplyPlan.For(clip, WireFlavor.DeveloperApi3, 4));

        Assert.Equal(fresh.Pcm, first.Pcm);
        Assert.Equal(fresh.Chunks.Select(c => (c.Offset, c.Length, c.SendAt, string.Concat(c.Transcript))), first.Chunks.Select(c => (c.Offset, c.Length, c.SendAt, string.Concat(c.Transcript))));
        // Was the whole clip as bytes (a large-object-heap array) and its chunk list, for every reply.
        Assert.InRange(perReply, 0, 64);
    }
}
