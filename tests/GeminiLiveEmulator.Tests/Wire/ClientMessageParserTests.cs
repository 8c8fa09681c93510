using System.Text;
using PhoneAgent.GeminiLiveEmulator.Hosting;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Wire;

/// <summary>The emulator's own parser reads every recorded client frame (JS, Python and .NET SDK shapes).</summary>
public sealed class ClientMessageParserTests
{
    private static readonly LiveEndpoint DevAlpha = new(EmulatorBackend.DeveloperApi, "v1alpha", false);
    private static readonly LiveEndpoint Vertex = new(EmulatorBackend.Vertex, "v1beta1", false);

    [Theory]
    [InlineData("client-setup-full.json", "setup")]
    [InlineData("client-setup-minimal.json", "setup")]
    [InlineData("client-setup-pysdk.json", "setup")]
    [InlineData("client-realtimeInput-audio.json", "realtimeInput.audio")]
    [InlineData("client-realtimeInput-audio-pysdk.json", "realtimeInput.audio")]
    [InlineData("client-realtimeInput-audioStreamEnd.json", "realtimeInput.audioStreamEnd")]
    [InlineData("client-realtimeInput-activityStart.json", "realtimeInput.activityStart")]
    [InlineData("client-realtimeInput-activityEnd.json", "realtimeInput.activityEnd")]
    [InlineData("client-realtimeInput-text.json", "realtimeInput.text")]
    [InlineData("client-realtimeInput-video.json", "realtimeInput.video")]
    [InlineData("client-clientContent.json", "clientContent")]
    [InlineData("client-clientContent-history-pysdk.json", "clientContent")]
    [InlineData("client-toolResponse.json", "toolResponse")]
    [InlineData("client-toolResponse-pysdk.json", "toolResponse")]
    public void DeveloperApiGolden_Parses(string fixture, string kind)
    {
        var message = ClientMessageParser.Parse(Golden.Bytes(fixture), DevAlpha);

        Assert.Equal(kind, message.Kind);
    }

    [Fact]
    public void VertexSetupGolden_Parses()
    {
        var setup = Assert.IsType<SetupMessage>(ClientMessageParser.Parse(Golden.Bytes("client-setup-vertex.json"), Vertex)).Setup;

        Assert.StartsWith("projects/example-project/", setup.Model, StringComparison.Ordinal);
        Assert.True(setup.InputTranscription);
        Assert.Equal("You are a concise assistant.", setup.SystemInstruction);
    }

    [Fact]
    public void FullSetup_ReadsEveryFieldWhereTheSdkPutsIt()
    {
        var setup = Assert.IsType<SetupMessage>(ClientMessageParser.Parse(Golden.Bytes("client-setup-full.json"), DevAlpha)).Setup;

        Assert.Equal(["AUDIO"], setup.ResponseModalities);
        Assert.Equal("Puck", setup.VoiceName);
        Assert.Equal(0, setup.ThinkingBudget);
        Assert.Equal("b7d4e2a9-61c3-4f0b-8e5d-9a2c7f14e036", setup.ResumeHandle);
        Assert.True(setup.Functions.Single().NonBlocking);
        Assert.Equal("START_SENSITIVITY_LOW", setup.RealtimeInput.StartSensitivity);
        Assert.Equal(100, setup.RealtimeInput.SilenceDurationMs);
        Assert.Equal(20, setup.RealtimeInput.PrefixPaddingMs);
        Assert.False(setup.RealtimeInput.NoInterruption);
        Assert.True(setup.ContextWindowCompression);
    }

    [Fact]
    public void PythonAudio_UrlSafeBase64AndSnakeCase_Decodes()
    {
        var standard = Assert.IsType<RealtimeInputMessage>(ClientMessageParser.Parse(Golden.Bytes("client-realtimeInput-audio.json"), DevAlpha));
        var python = Assert.IsType<RealtimeInputMessage>(ClientMessageParser.Parse(Golden.Bytes("client-realtimeInput-audio-pysdk.json"), DevAlpha));

        Assert.Equal(3200, standard.Audio!.Pcm.Length);
        Assert.Equal(16000, python.Audio!.SampleRate);
        Assert.True(python.Audio.Pcm.Length > 3000);
    }

    [Fact]
    public void MediaChunks_IsRejectedAsDeprecated()
    {
        var violation = Assert.Throws<ProtocolViolationException>(() =>
            ClientMessageParser.Parse(Golden.Bytes("client-realtimeInput-mediaChunks-legacy.json"), DevAlpha));

        Assert.Equal(1007, violation.CloseCode);
        Assert.Equal("realtime_input.media_chunks is deprecated. Use audio, video, or text instead.", violation.Reason);
    }

    [Theory]
    [InlineData("""{"toolResponse":{"functionResponses":[{"id":"a","name":"f","response":{"output":1},"scheduling":"INTERRUPT"}]}}""", "INTERRUPT")]
    [InlineData("""{"toolResponse":{"functionResponses":[{"id":"a","name":"f","response":{"output":1,"scheduling":"SILENT"}}]}}""", "SILENT")]
    [InlineData("""{"toolResponse":{"functionResponses":[{"id":"a","name":"f","response":{"output":1}}]}}""", null)]
    public void Scheduling_IsReadFromBothPlacements(string json, string? scheduling)
    {
        var response = Assert.IsType<ToolResponseMessage>(ClientMessageParser.Parse(Encoding.UTF8.GetBytes(json), DevAlpha)).Responses.Single();

        Assert.Equal(scheduling, response.Scheduling);
    }

    [Theory]
    [InlineData("audio/pcm", 16000)]
    [InlineData("audio/pcm;rate=8000", 8000)]
    [InlineData("audio/pcm; rate=44100", 44100)]
    [InlineData("AUDIO/PCM;rate=12000", 12000)]
    [InlineData("audio/wav", null)]
    [InlineData("audio/pcm;rate=abc", null)]
    public void PcmRate_AnyDeclaredRateIsAccepted(string mimeType, int? rate) =>
        Assert.Equal(rate, ClientMessageParser.ParsePcmRate(mimeType));

    [Theory]
    [InlineData("""{"setup":{"model":"models/x-live","enableAffectiveDialog":true}}""", "Invalid JSON payload received. Unknown name \"enableAffectiveDialog\" at 'setup': Cannot find field.")]
    [InlineData("""{"realtimeInput":{"audio":{"mimeType":"audio/pcm","data":""},"foo":1}}""", "Invalid JSON payload received. Unknown name \"foo\" at 'realtime_input': Cannot find field.")]
    [InlineData("""{"bogus":{}}""", "Invalid JSON payload received. Unknown name \"bogus\": Cannot find field.")]
    [InlineData("not json", "Invalid JSON payload received. Unexpected token.")]
    [InlineData("""{"setup":{"model":"models/x-live","generationConfig":{"responseMimeType":"text/plain"}}}""", "Request contains an invalid argument.")]
    [InlineData("""{"setup":{"model":"models/x-live","systemInstruction":{"role":"system","parts":[{"text":"x"}]}}}""", "Request contains an invalid argument.")]
    [InlineData("""{"setup":{"model":"models/x-live"},"clientContent":{}}""", "Request contains an invalid argument.")]
    public void Rejected_WithTheServiceReason(string json, string reason)
    {
        var violation = Assert.Throws<ProtocolViolationException>(() => ClientMessageParser.Parse(Encoding.UTF8.GetBytes(json), DevAlpha));

        Assert.Equal(1007, violation.CloseCode);
        Assert.Equal(reason, violation.Reason);
    }

    [Fact]
    public void AffectiveDialogAndProactivity_NeedV1AlphaOnTheDeveloperApi()
    {
        var json = """{"setup":{"model":"models/x-live","generationConfig":{"enableAffectiveDialog":true},"proactivity":{"proactiveAudio":true}}}"""u8.ToArray();
        var beta = new LiveEndpoint(EmulatorBackend.DeveloperApi, "v1beta", false);

        var alpha = Assert.IsType<SetupMessage>(ClientMessageParser.Parse(json, DevAlpha)).Setup;
        var proactivity = Assert.Throws<ProtocolViolationException>(() => ClientMessageParser.Parse(json, beta));
        var affective = Assert.Throws<ProtocolViolationException>(() => ClientMessageParser.Parse(
            """{"setup":{"model":"models/x-live","generationConfig":{"enableAffectiveDialog":true}}}"""u8.ToArray(), beta));

        Assert.True(alpha.EnableAffectiveDialog && alpha.ProactiveAudio);
        Assert.Contains("Unknown name \"proactivity\" at 'setup'", proactivity.Reason, StringComparison.Ordinal);
        Assert.Contains("Unknown name \"enableAffectiveDialog\" at 'setup.generation_config'", affective.Reason, StringComparison.Ordinal);
        Assert.IsType<SetupMessage>(ClientMessageParser.Parse(json, Vertex));
    }

    [Fact]
    public void SystemInstruction_WithOrWithoutRole_IsAccepted()
    {
        var withRole = """{"setup":{"model":"models/x-live","systemInstruction":{"role":"user","parts":[{"text":"Be brief."}]}}}"""u8.ToArray();
        var without = """{"setup":{"model":"models/x-live","system_instruction":{"parts":[{"text":"Be brief."}]}}}"""u8.ToArray();

        Assert.Equal("Be brief.", Assert.IsType<SetupMessage>(ClientMessageParser.Parse(withRole, DevAlpha)).Setup.SystemInstruction);
        Assert.Equal("Be brief.", Assert.IsType<SetupMessage>(ClientMessageParser.Parse(without, DevAlpha)).Setup.SystemInstruction);
    }
}
