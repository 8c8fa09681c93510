using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Conversation;

public sealed class ToolCallTests
{
    private const string Weather = """
        { "turns": [ {
            "caller": "What is the weather in Lyon?",
            "reply": { "clip": "okay" },
            "toolCalls": [ { "name": "get_weather", "args": { "city": "Lyon" } } ],
            "afterToolResponse": { "text": "It is {output}." } } ] }
        """;

    private static string SetupWith(string model, string? behavior = null) =>
        Messages.Setup(model, s => s["tools"] = new JsonArray(Messages.Tools(("get_weather", behavior))));

    [Fact]
    public async Task DeveloperApi_ToolRoundTrip_SpeaksTheResultInTheSameTurn()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(Weather));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, SetupWith(Messages.DevModel));

        await client.SendTextAsync("What is the weather in Lyon?");
        var toolCall = await client.WaitForAsync("toolCall");
        var call = toolCall.Find("toolCall.functionCalls")!.Value[0];
        var id = call.GetProperty("id").GetString()!;
        Assert.Matches(new Regex(@"^function-call-\d{19,20}$"), id);
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("Lyon", call.GetProperty("args").GetProperty("city").GetString());
        Assert.True(await client.NothingAsync(e => e.Is("serverContent.generationComplete") || e.Is("serverContent.turnComplete"), TimeSpan.FromMilliseconds(300)));

        await client.SendAsync(Messages.ToolResponse(id, "get_weather", new { output = "cloudy and fourteen degrees in Lyon" }));
        await client.WaitForAsync("serverContent.turnComplete");

        var afterCall = client.History.SkipWhile(e => !e.Is("toolCall")).ToList();
        Assert.Equal("It is cloudy and fourteen degrees in Lyon.", string.Concat(afterCall.Select(e => e.OutputText)));
        Assert.Single(client.History, e => e.Is("serverContent.turnComplete"));
        Assert.Contains(server.Sessions.Single().Notes("reply"), n => n.Text.Contains("clip:weather", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Vertex_ToolRoundTrip_AnswersInASecondModelTurn()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(Weather));
        await using var client = await LiveTestClient.SetUpAsync(server.VertexUri, SetupWith(Messages.VertexModel));

        await client.SendTextAsync("What is the weather in Lyon?");
        var call = (await client.WaitForAsync("toolCall")).Find("toolCall.functionCalls")!.Value[0];
        var id = call.GetProperty("id").GetString()!;
        Assert.True(Guid.TryParse(id, out _));

        await client.SendAsync(Messages.ToolResponse(id, "get_weather", new { output = "cloudy and fourteen degrees in Lyon" }));
        await client.WaitForAsync("serverContent.turnComplete");
        var second = await client.WaitForAsync("serverContent.turnComplete");

        var afterResponse = client.History.SkipWhile(e => !e.Is("toolCall")).Skip(1).ToList();
        var kinds = afterResponse.Select(Kind).Where(k => k is "finished" or "generationComplete" or "turnComplete" or "open").ToList();
        Assert.Equal(["finished", "generationComplete", "turnComplete", "open", "finished", "generationComplete", "turnComplete"], kinds);
        Assert.True(second.Is("serverContent.groundingMetadata"));
        Assert.True(second.Find("usageMetadata.candidatesTokenCount")!.Value.GetInt32() > 0);
        Assert.All(client.History.Where(e => e.Audio is not null), e => Assert.Equal("audio/pcm", e.AudioMimeType));
    }

    [Fact]
    public async Task CallerSpeech_CancelsTheOpenCall_AndALateAnswerIsIgnored()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""
            { "turns": [ { "toolCalls": [ { "name": "get_weather", "args": { "city": "Lyon" } } ] }, { "reply": { "clip": "okay" } } ] }
            """));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, SetupWith(Messages.DevModel));

        await client.SendTextAsync("What is the weather in Lyon?");
        var id = (await client.WaitForAsync("toolCall")).Find("toolCall.functionCalls")!.Value[0].GetProperty("id").GetString();
        await client.SendAudioAsync(TestAudio.Utterance(16000), 16000);
        var cancellation = await client.WaitForAsync("toolCallCancellation");

        Assert.Equal(id, cancellation.Find("toolCallCancellation.ids")!.Value[0].GetString());
        await client.SendAsync(Messages.ToolResponse(id!, "get_weather", new { output = "too late" }));
        await client.WaitForAsync(e => e.Audio is not null);
        await client.WaitForAsync("serverContent.turnComplete");
        Assert.Contains(server.Sessions.Single().Notes("toolResponse.cancelled"), n => n.Text.Contains(id!, StringComparison.Ordinal));
        Assert.True(server.Sessions.Single().IsOpen);
    }

    [Fact]
    public async Task UndeclaredTool_IsNotCalled()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(Weather));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendTextAsync("What is the weather in Lyon?");
        await client.WaitForAsync("serverContent.turnComplete");

        Assert.DoesNotContain(client.History, e => e.Is("toolCall"));
        Assert.Single(server.Sessions.Single().Notes("toolCall.skipped"));
    }

    [Fact]
    public async Task NonBlocking_WhenIdleInsideResponse_IsSpokenAfterTheCurrentAnswer()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(Weather.Replace("\"okay\"", "\"done\"", StringComparison.Ordinal)));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, SetupWith(Messages.DevModel, "NON_BLOCKING"));

        await client.SendTextAsync("What is the weather in Lyon?");
        var call = (await client.WaitForAsync("toolCall")).Find("toolCall.functionCalls")!.Value[0];
        Assert.DoesNotContain(client.History.TakeWhile(e => !e.Is("toolCall")), e => e.Audio is not null); // the call comes first, the model keeps talking
        await client.SendAsync(Messages.ToolResponse(call.GetProperty("id").GetString()!, "get_weather",
            new { output = "cloudy and fourteen degrees in Lyon", scheduling = "WHEN_IDLE" }));
        await client.WaitForAsync("serverContent.turnComplete");
        await client.WaitForAsync("serverContent.turnComplete");

        Assert.DoesNotContain(client.History, e => e.Is("serverContent.interrupted"));
        Assert.Equal("All right, that is done.It is cloudy and fourteen degrees in Lyon.", string.Concat(client.History.Select(e => e.OutputText)));
    }

    [Fact]
    public async Task NonBlocking_InterruptSibling_CutsTheCurrentAnswer()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(Weather.Replace("\"okay\"", "\"greeting\"", StringComparison.Ordinal)));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, SetupWith(Messages.DevModel, "NON_BLOCKING"));

        await client.SendTextAsync("What is the weather in Lyon?");
        var call = (await client.WaitForAsync("toolCall")).Find("toolCall.functionCalls")!.Value[0];
        await client.WaitForAsync(e => e.Audio is not null);
        await client.SendAsync(Messages.ToolResponse(call.GetProperty("id").GetString()!, "get_weather",
            new { output = "cloudy and fourteen degrees in Lyon" }, scheduling: "INTERRUPT"));
        await client.WaitForAsync("serverContent.interrupted");
        await client.WaitForAsync("serverContent.turnComplete");
        await client.WaitForAsync("serverContent.turnComplete");

        var afterInterruption = client.History.SkipWhile(e => !e.Is("serverContent.interrupted"));
        Assert.Equal("It is cloudy and fourteen degrees in Lyon.", string.Concat(afterInterruption.Select(e => e.OutputText)));
    }

    private static string Kind(ServerEvent e) =>
        e.Audio is not null ? "audio"
        : e.Find("serverContent.outputTranscription") is { } t ? (t.TryGetProperty("finished", out _) ? "finished" : t.TryGetProperty("text", out _) ? "text" : "open")
        : e.Is("serverContent.generationComplete") ? "generationComplete"
        : e.Is("serverContent.turnComplete") ? "turnComplete"
        : e.Is("sessionResumptionUpdate") ? "resumption"
        : "other";
}
