using System.Text.Json.Nodes;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Conversation;

public sealed class SpokenTurnTests
{
    private const string Scenario = """
        { "turns": [
            { "caller": "I need help with my order.", "reply": { "clip": "done" } },
            { "caller": "Thanks.", "reply": { "clip": "okay" } } ] }
        """;

    [Fact]
    public async Task SpokenTurn_IsAnsweredWithSpeechOnAPlaybackClock()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(Scenario));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup(silenceMs: 500));

        // Real speech (a shipped clip at 16 kHz) followed by a pause the detector counts as end of turn.
        await client.SendAudioAsync([.. TestAudio.Clip16k("generic-2"), .. TestAudio.Silence(16000, 700)], 16000);
        var turnComplete = await client.WaitForAsync("serverContent.turnComplete");

        var events = client.History;
        var audio = events.Where(e => e.Audio is not null).ToList();
        var generationComplete = events.Single(e => e.Is("serverContent.generationComplete"));
        var duration = TimeSpan.FromSeconds(audio.Sum(a => a.Audio!.Length) / 48000.0);

        Assert.Equal(" I need help with my order.", string.Concat(events.Select(e => e.InputText)));
        Assert.Equal("All right, that is done.", string.Concat(events.Select(e => e.OutputText)));
        Assert.All(audio, a => Assert.Equal("audio/pcm;rate=24000", a.AudioMimeType));
        Assert.All(audio.SkipLast(1), a => Assert.InRange(a.Audio!.Length, 2960, 3520));
        Assert.InRange(duration.TotalSeconds, 1.4, 1.6);
        Assert.True(audio.SelectMany(a => TestAudio.ToSamples(a.Audio!)).Max(s => Math.Abs((int)s)) > 10000, "the reply is speech, not silence");

        // generationComplete when the last chunk is out (8× faster than real time); turnComplete when playback would end.
        // The lower bounds are the behaviour (turnComplete never before the playback clock runs out; generation alone would
        // end at 1/8 of it), with 150 ms for the first chunk's own send and receive times. The upper bounds only catch a
        // stuck clock: timers on a loaded CI machine have come 0.8 s late.
        var first = audio[0].At;
        Assert.InRange((generationComplete.At - first).TotalSeconds, (duration.TotalSeconds / 8) - 0.15, (duration.TotalSeconds / 8) + 1.5);
        Assert.InRange((turnComplete.At - first).TotalSeconds, duration.TotalSeconds - 0.15, duration.TotalSeconds + 1.5);
        Assert.True(turnComplete.At > generationComplete.At, "turnComplete follows generationComplete");
        Assert.True(turnComplete.Find("usageMetadata.responseTokenCount")!.Value.GetInt32() > 30);

        var log = server.Sessions.Single();
        Assert.Equal(1, log.TurnCount);
        Assert.Contains(log.Notes("transcription.scripted"), n => n.Text.Contains("scripted", StringComparison.Ordinal));
        Assert.All(log.Received("realtimeInput.audio"), e => Assert.Matches(@"^\d+ B \(\d+ ms, audio/pcm;rate=16000\)( in \d+ messages)?$", e.Text));
        Assert.Equal((TestAudio.Clip16k("generic-2").Length + 11200) * 2, log.Received("realtimeInput.audio").Sum(e => e.AudioBytes));
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(24000)]
    [InlineData(44100)]
    [InlineData(12000)]
    public async Task AnyDeclaredPcmRate_IsHeard(int rate)
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{"turns":[{"reply":{"clip":"okay"}}]}"""));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendAudioAsync(TestAudio.Utterance(rate), rate);

        await client.WaitForAsync("serverContent.turnComplete");
        Assert.Contains(client.History, e => e.Audio is not null);
    }

    [Fact]
    public async Task ManualActivity_ActivityStartAndEndMakeTheTurn()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{"turns":[{"reply":{"clip":"okay"}}]}"""));
        var setup = Messages.Setup(edit: s => s["realtimeInputConfig"] = new JsonObject { ["automaticActivityDetection"] = new JsonObject { ["disabled"] = true } });
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, setup);

        await client.SendAsync("""{"realtimeInput":{"activityStart":{}}}""");
        await client.SendAudioAsync(TestAudio.Utterance(16000, silenceMs: 0), 16000);
        Assert.True(await client.NothingAsync(e => e.Audio is not null, TimeSpan.FromMilliseconds(300)));
        await client.SendAsync("""{"realtimeInput":{"activityEnd":{}}}""");

        await client.WaitForAsync("serverContent.turnComplete");
    }

    [Fact]
    public async Task ManualActivity_AudioBeforeActivityStart_Closes1007()
    {
        await using var server = await TestServer.StartAsync();
        var setup = Messages.Setup(edit: s => s["realtimeInputConfig"] = new JsonObject { ["automaticActivityDetection"] = new JsonObject { ["disabled"] = true } });
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, setup);

        await client.SendAudioAsync(TestAudio.Silence(16000, 40), 16000);

        Assert.Equal(1007, (await client.WaitForCloseAsync()).CloseCode);
    }

    [Fact]
    public async Task AudioStreamEnd_EndsTheCallerTurnAtOnce()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{"turns":[{"reply":{"clip":"okay"}}]}"""));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup(silenceMs: 2000));

        await client.SendAudioAsync(TestAudio.Utterance(16000, silenceMs: 100), 16000);
        Assert.True(await client.NothingAsync(e => e.Audio is not null, TimeSpan.FromMilliseconds(300)));
        await client.SendAsync("""{"realtimeInput":{"audioStreamEnd":true}}""");

        await client.WaitForAsync("serverContent.turnComplete");
    }

    [Fact]
    public async Task ClientContent_OnlyTurnCompleteTrueIsAnswered_TextInputIsAnswered()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{"turns":[{"reply":{"clip":"okay"}},{"reply":{"clip":"done"}}]}"""));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendAsync(Messages.ClientContent("[interrupted: the caller heard only 'Hello']", turnComplete: false, role: "model"));
        Assert.True(await client.NothingAsync(e => e.Is("serverContent"), TimeSpan.FromMilliseconds(400)));

        await client.SendAsync(Messages.ClientContent("Say hello to the caller.", turnComplete: true));
        await client.WaitForAsync("serverContent.turnComplete");
        await client.SendTextAsync("The caller pressed 3.");
        await client.WaitForAsync("serverContent.turnComplete");

        Assert.Equal("Okay.All right, that is done.", string.Concat(client.History.Select(e => e.OutputText)));
        Assert.DoesNotContain(client.History, e => e.InputText is not null);
        Assert.Equal(2, server.Sessions.Single().TurnCount);
    }

    [Fact]
    public async Task DefaultScenario_GreetsThenAnswersAnything()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendTextAsync("Greet the caller.");
        await client.WaitForAsync("serverContent.turnComplete", TimeSpan.FromSeconds(8));

        Assert.Equal("Hello, thanks for calling. How can I help you today?", string.Concat(client.History.Select(e => e.OutputText)));
    }
}
