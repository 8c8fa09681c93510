using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Conversation;

public sealed class InterruptionTests
{
    private const string Scenario = """
        { "turns": [ { "reply": { "clip": "greeting" } }, { "caller": "Wait, stop please.", "reply": { "clip": "okay" } } ] }
        """;

    [Fact]
    public async Task CallerSpeech_InterruptsTheAnswer_AndNoAudioOfItFollows()
    {
        // Sent at 1.5× real time, so the caller cuts in while the answer is still being generated.
        await using var server = await TestServer.StartAsync(TestServer.Scenario(Scenario), o =>
        {
            o.TestMode = true;
            o.ReplySpeedup = 1.5;
        });
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendTextAsync("Greet the caller.");
        await client.WaitForAsync(e => e.Audio is not null);
        var bargeIn = DateTimeOffset.UtcNow;
        await client.SendAudioAsync(TestAudio.Utterance(16000), 16000);
        var interrupted = await client.WaitForAsync("serverContent.interrupted");
        await client.WaitForAsync(e => e.Is("serverContent.turnComplete"));
        await client.WaitForAsync(e => e.Is("serverContent.turnComplete"));

        var events = client.History;
        var at = events.IndexOf(interrupted);
        Assert.InRange((interrupted.At - bargeIn).TotalMilliseconds, 0, 1000); // detection needs 20 ms of audio; the rest is slack
        Assert.True(events[at + 1].Is("serverContent.turnComplete"), "interrupted is followed by the interrupted turn's turnComplete");
        Assert.DoesNotContain(events.Take(at), e => e.Is("serverContent.generationComplete"));
        Assert.All(events.Skip(at).Where(e => e.Audio is not null), e => Assert.Equal(2, Tag(e)));
        Assert.Equal(" Wait, stop please.", string.Concat(events.Skip(at).Select(e => e.InputText)));
        Assert.Equal(2, server.Sessions.Single().TurnCount);
    }

    [Fact]
    public async Task NoInterruption_LetsTheAnswerFinish_ThenAnswersTheCaller()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{"turns":[{"reply":{"clip":"done"}},{"reply":{"clip":"okay"}}]}"""), o => o.TestMode = true);
        var setup = Messages.Setup(edit: s => s["realtimeInputConfig"]!["activityHandling"] = "NO_INTERRUPTION");
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, setup);

        await client.SendTextAsync("Greet the caller.");
        var firstAudio = await client.WaitForAsync(e => e.Audio is not null);
        await client.SendAudioAsync(TestAudio.Utterance(16000), 16000);
        var firstTurnComplete = await client.WaitForAsync("serverContent.turnComplete");
        await client.WaitForAsync("serverContent.turnComplete");

        var events = client.History;
        Assert.DoesNotContain(events, e => e.Is("serverContent.interrupted"));
        Assert.InRange((firstTurnComplete.At - firstAudio.At).TotalSeconds, 1.3, 2.3); // the 1.52 s clip plays out; slack for receive times
        var second = events.Where(e => e.Audio is not null && Tag(e) == 2).ToList();
        Assert.NotEmpty(second);
        Assert.True(second[0].At >= firstTurnComplete.At);
        Assert.Contains(server.Sessions.Single().Notes("noInterruption"), n => n.Turn == 1);
    }

    [Fact]
    public async Task SpeechBeforeTheAnswerStarts_ContinuesTheSameTurn()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(ShortTurns), o =>
        {
            o.TestMode = true;
            o.ReplyLatency = TimeSpan.FromMilliseconds(500);
        });
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendAudioAsync(TestAudio.Utterance(16000, speechMs: 300, silenceMs: 350), 16000);
        await client.SendAudioAsync(TestAudio.Utterance(16000, speechMs: 300, silenceMs: 350), 16000);
        await client.WaitForAsync("serverContent.turnComplete", TimeSpan.FromSeconds(10));

        Assert.DoesNotContain(client.History, e => e.Is("serverContent.interrupted"));
        Assert.All(client.History.Where(e => e.Audio is not null), e => Assert.Equal(1, Tag(e)));
        Assert.Equal(1, server.Sessions.Single().TurnCount);
    }

    private const string ShortTurns = """{"turns":[{"reply":{"clip":"okay"}},{"reply":{"clip":"done"}}]}""";

    internal static int? Tag(ServerEvent e) => EmulatorTurnTag.Detect(TestAudio.ToSamples(e.Audio!), 24000);
}
