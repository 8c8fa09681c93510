using System.Net.WebSockets;
using System.Text;
using PhoneAgent.GeminiLiveEmulator.Tests.Endpoints;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Protocol;

/// <summary>What the service rejects, with its close codes and recorded reason texts.</summary>
public sealed class SetupRulesTests
{
    private static string InvalidArgument => Golden.CloseReason("close-1007-invalid-argument.json");

    [Fact]
    public async Task FirstMessageNotSetup_Closes1007()
    {
        await using var server = await TestServer.StartAsync();

        var close = await CredentialTests.SetupAndCloseAsync(server.DeveloperApiUri, """{"realtimeInput":{"text":"hi"}}""");

        Assert.Equal((1007, InvalidArgument), (close.CloseCode, close.CloseReason));
        Assert.Contains(server.Sessions[0].Notes("violation"), n => n.Text.Contains("the first message must be setup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecondSetup_Closes1007()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendAsync(Messages.Setup());
        var close = await client.WaitForCloseAsync();

        Assert.Equal((1007, InvalidArgument), (close.CloseCode, close.CloseReason));
    }

    [Fact]
    public async Task MessageBeforeSetupComplete_Closes1007()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.SetupLatency = TimeSpan.FromSeconds(10)); // the early message always comes first
        await using var client = await LiveTestClient.ConnectAsync(server.DeveloperApiUri);

        await client.SendAsync(Messages.Setup());
        await client.SendTextAsync("too early");
        var close = await client.WaitForCloseAsync();

        Assert.Equal((1007, InvalidArgument), (close.CloseCode, close.CloseReason));
        Assert.DoesNotContain(client.History, e => e.Is("setupComplete"));
    }

    [Fact]
    public async Task MediaChunks_Closes1007AsDeprecated()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendAsync(Encoding.UTF8.GetString(Golden.Bytes("client-realtimeInput-mediaChunks-legacy.json")));
        var close = await client.WaitForCloseAsync();

        Assert.Equal((1007, CloseReasons.MediaChunksDeprecated), (close.CloseCode, close.CloseReason));
    }

    [Fact]
    public async Task ToolResponseForNoOpenCall_Closes1008()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendAsync(Messages.ToolResponse("function-call-1", "get_weather", new { output = "sunny" }));
        var close = await client.WaitForCloseAsync();

        Assert.Equal((1008, Golden.CloseReason("close-1008-entity-not-found.json")), (close.CloseCode, close.CloseReason));
    }

    [Fact]
    public async Task UnknownModel_Closes1008WithTheRecordedText()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.Models = ["gemini-2.5-flash-native-audio-preview-12-2025"]);

        var unknown = await CredentialTests.SetupAndCloseAsync(server.DeveloperApiUri, Messages.Setup("models/gemini-9.9-flash-live-example"));
        var notLive = await CredentialTests.SetupAndCloseAsync(server.GetDeveloperApiUri("v1alpha"), Messages.Setup("models/gemini-2.5-flash"));

        Assert.Equal((1008, Golden.CloseReason("close-1008-model-not-found.json")), (unknown.CloseCode, unknown.CloseReason));
        Assert.StartsWith("models/gemini-2.5-flash is not found for API version v1alpha", notLive.CloseReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","generationConfig":{"responseModalities":["AUDIO"],"speechConfig":{"voiceConfig":{"prebuiltVoiceConfig":{"voiceName":"Robot"}}}}}}""", 1007, "Request contains an invalid argument.")]
    [InlineData("""{"setup":{"model":"models/gemini-live-2.5-flash-preview","generationConfig":{"responseModalities":["TEXT"],"speechConfig":{"voiceConfig":{"prebuiltVoiceConfig":{"voiceName":"Puck"}}}}}}""", 1007, "Cannot extract voices from a non-audio request.")]
    [InlineData("""{"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","generationConfig":{"responseModalities":["AUDIO","TEXT"]}}}""", 1007, "Request contains an invalid argument.")]
    [InlineData("""{"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","enableAffectiveDialog":true}}""", 1007, "Invalid JSON payload received. Unknown name \"enableAffectiveDialog\" at 'setup': Cannot find field.")]
    [InlineData("""{"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","systemInstruction":{"role":"system","parts":[{"text":"x"}]}}}""", 1007, "Request contains an invalid argument.")]
    public async Task BadSetup_IsRefused(string setup, int code, string reason)
    {
        await using var server = await TestServer.StartAsync();

        var close = await CredentialTests.SetupAndCloseAsync(server.DeveloperApiUri, setup);

        Assert.Equal((code, reason), (close.CloseCode, close.CloseReason));
    }

    [Fact]
    public async Task DocumentedVariants_AreAccepted()
    {
        await using var server = await TestServer.StartAsync();
        var minimal = """{"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025"}}""";
        var python = Encoding.UTF8.GetString(Golden.Bytes("client-setup-pysdk.json"));
        var noRole = Messages.Setup(edit: s => s["systemInstruction"]!.AsObject().Remove("role"));
        var bare = Messages.Setup("gemini-2.5-flash-native-audio-preview-12-2025");

        foreach (var setup in new[] { minimal, python, noRole, bare })
        {
            await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, setup);
        }
    }

    [Fact]
    public async Task ServerFrames_AreBinaryPrettyJsonAsRecorded()
    {
        await using var server = await TestServer.StartAsync();
        await using var developer = await LiveTestClient.ConnectAsync(server.DeveloperApiUri);
        await using var vertex = await LiveTestClient.ConnectAsync(server.VertexUri);

        await developer.SendAsync(Messages.Setup());
        await vertex.SendAsync(Messages.Setup(Messages.VertexModel));
        var developerSetup = await developer.NextAsync();
        var vertexSetup = await vertex.NextAsync();

        Assert.Equal(WebSocketMessageType.Binary, developerSetup.Type);
        Assert.Equal(Golden.Bytes("server-setupComplete-devapi.json"), developerSetup.Raw);
        Assert.Equal(Golden.Bytes("server-setupComplete-vertex.json").Length, vertexSetup.Raw.Length);
        Assert.True(Guid.TryParse(vertexSetup.Find("setupComplete.sessionId")!.Value.GetString(), out _));
    }

    [Fact]
    public async Task TextFramesOption_SendsTextFrames()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.TextFrames = true);
        await using var client = await LiveTestClient.ConnectAsync(server.DeveloperApiUri);

        await client.SendAsync(Messages.Setup());

        Assert.Equal(WebSocketMessageType.Text, (await client.NextAsync()).Type);
    }
}
