using System.Text.Json.Nodes;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Conversation;

/// <summary>What differs per back end and model generation, as in the recorded sequences.</summary>
public sealed class FlavorTests
{
    [Fact]
    public async Task DeveloperApi3x_VoiceActivityBundledTranscriptionEmptyFrames()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""
            { "turns": [ { "caller": "Hi, my name is Robin.", "reply": { "clip": "done" },
                           "toolCalls": [ { "name": "get_weather", "args": { "city": "Lyon" } } ] } ] }
            """));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri,
            Messages.Setup(Messages.Dev3Model, s => s["tools"] = new JsonArray(Messages.Tools(("get_weather", null)))));

        await client.SendAudioAsync(TestAudio.Utterance(16000), 16000);
        var toolCall = await client.WaitForAsync("toolCall");

        var events = client.History;
        var start = events.FindIndex(e => e.Find("voiceActivity.type")?.GetString() == "ACTIVITY_START");
        var transcription = events.FindIndex(e => e.InputText is not null);
        var end = events.FindIndex(e => e.Find("voiceActivity.type")?.GetString() == "ACTIVITY_END");
        Assert.True(start >= 0 && start < transcription && transcription < end);
        Assert.Equal("Hi, my name is Robin.", events[transcription].InputText);
        Assert.Equal("0s", events[start].Find("voiceActivity.audioOffset")!.Value.GetString());
        Assert.Equal("0.400s", events[end].Find("voiceActivity.audioOffset")!.Value.GetString());
        Assert.Contains(events, e => e.Raw.Length == 3 && e.Json is { } json && !json.EnumerateObject().Any());
        var audio = events.Where(e => e.Audio is not null).ToList();
        Assert.Contains(audio, e => e.OutputText is not null);
        Assert.All(audio.SkipLast(1), e => Assert.InRange(e.Audio!.Length, 8640, 9600));
        Assert.Equal("model", audio[0].Find("serverContent.modelTurn.role")!.Value.GetString());
        Assert.Equal("parts", audio[0].Find("serverContent.modelTurn")!.Value.EnumerateObject().First().Name);
        Assert.StartsWith("fc_", toolCall.Find("toolCall.functionCalls")!.Value[0].GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gemini31_RefusesClientContentMidSession()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup(Messages.Dev3Model));

        await client.SendAsync(Messages.ClientContent("Hello", turnComplete: true));
        var close = await client.WaitForCloseAsync();

        Assert.Equal((1007, Golden.CloseReason("close-1007-precondition.json")), (close.CloseCode, close.CloseReason));
    }

    [Fact]
    public async Task Vertex_FramesTranscriptionAndUsageItsWay()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{ "turns": [ { "reply": { "clip": "okay" } } ] }"""));
        await using var client = await LiveTestClient.SetUpAsync(server.VertexUri, Messages.Setup(Messages.VertexModel));

        await client.SendTextAsync("Hello?");
        var turnComplete = await client.WaitForAsync("serverContent.turnComplete");

        var transcription = client.History.Where(e => e.Is("serverContent.outputTranscription")).ToList();
        Assert.False(transcription[0].Find("serverContent.outputTranscription")!.Value.EnumerateObject().Any());
        Assert.True(transcription[^1].Find("serverContent.outputTranscription.finished")!.Value.GetBoolean());
        var audio = client.History.First(e => e.Audio is not null);
        Assert.Equal("role", audio.Find("serverContent.modelTurn")!.Value.EnumerateObject().First().Name);
        Assert.All(client.History.Where(e => e.Audio is not null).SkipLast(1), e => Assert.Contains(e.Audio!.Length, new[] { 11114, 11520, 15360, 9600 }));
        Assert.NotNull(turnComplete.Find("usageMetadata.candidatesTokensDetails"));
        Assert.Null(turnComplete.Find("usageMetadata.responseTokenCount"));
        Assert.DoesNotContain(client.History, e => e.Find("serverContent.modelTurn.parts") is { } parts && parts[0].TryGetProperty("thought", out _));
    }

    [Fact]
    public async Task TextModality_AnswersWithTextParts()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{ "turns": [ { "reply": { "clip": "done" } } ] }"""));
        var setup = Messages.Setup("models/gemini-live-2.5-flash-preview", s => s["generationConfig"]!["responseModalities"] = new JsonArray("TEXT"));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, setup);

        await client.SendTextAsync("Hello?");
        await client.WaitForAsync("serverContent.turnComplete");

        var text = client.History.Select(e => e.Find("serverContent.modelTurn.parts")).Where(p => p is not null).Select(p => p!.Value[0].GetProperty("text").GetString());
        Assert.Equal("All right, that is done.", string.Concat(text));
        Assert.DoesNotContain(client.History, e => e.Audio is not null);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(0, false)]
    public async Task NativeAudio25_SendsThoughtsUnlessThinkingIsOff(int? budget, bool thoughts)
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{ "turns": [ { "reply": { "clip": "okay" } } ] }"""));
        var setup = Messages.Setup(edit: s =>
        {
            if (budget is { } b)
            {
                s["generationConfig"]!["thinkingConfig"] = new JsonObject { ["thinkingBudget"] = b };
            }
        });
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, setup);

        await client.SendTextAsync("Hello?");
        var turnComplete = await client.WaitForAsync("serverContent.turnComplete");

        var thought = client.History.FindIndex(e => e.Find("serverContent.modelTurn.parts") is { } p && p[0].TryGetProperty("thought", out _));
        Assert.Equal(thoughts, thought >= 0);
        Assert.Equal(thoughts, turnComplete.Find("usageMetadata.thoughtsTokenCount") is not null);
        if (thoughts)
        {
            Assert.True(thought < client.History.FindIndex(e => e.Audio is not null));
        }
    }
}
