using System.Text.Json;
using System.Text.Json.Nodes;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Options;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>
/// Our client messages against what Google's official JS SDK (<c>@google/genai</c>) sent for the same configuration,
/// as dumped by the conformance script into <c>tests/conformance/sdk-wire/</c>, compared as JSON trees.
/// </summary>
public sealed class GeminiSdkConformanceTests
{
    [Theory]
    [InlineData("devapi")]
    [InlineData("vertex")]
    public void Setup_matches_the_SDK(string backend)
    {
        var sdk = Dump($"{backend}-01-setup.json");
        var recorded = sdk["setup"]!;
        var declaration = recorded["tools"]![0]!["functionDeclarations"]![0]!;
        var config = new ModelSessionConfig
        {
            SystemInstruction = recorded["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>(),
            Voice = recorded["generationConfig"]!["speechConfig"]!["voiceConfig"]!["prebuiltVoiceConfig"]!["voiceName"]!.GetValue<string>(),
            Tools = [new ModelToolDeclaration(declaration["name"]!.GetValue<string>(), declaration["description"]!.GetValue<string>(), JsonSerializer.SerializeToElement(declaration["parameters"]))],
            TurnDetection = new ModelTurnDetection { SilenceDurationMs = recorded["realtimeInputConfig"]!["automaticActivityDetection"]!["silenceDurationMs"]!.GetValue<int>() },
            ContextCompression = new ModelContextCompression(null, null),
        };
        var model = recorded["model"]!.GetValue<string>().Split('/')[^1];
        var endpoints = backend == "vertex"
            ? new GeminiEndpointResolver(GeminiBackend.Vertex, new GeminiOptions { Vertex = { Project = "conformance-project", Location = "us-central1" } }, null, null)
            : new GeminiEndpointResolver(GeminiBackend.DeveloperApi, new GeminiOptions(), null, null);

        var setup = GeminiSetupBuilder.Build(config, GeminiModelCatalog.NativeAudio25 with { Thinking = GeminiThinkingField.None }, endpoints.ModelResource(model, 0), new GeminiSessionDefaults());

        JsonAssert.Equivalent(sdk, GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteSetup(w, setup)));
    }

    [Theory]
    [InlineData("devapi")]
    [InlineData("vertex")]
    public void Realtime_messages_content_and_tool_response_match_the_SDK(string backend)
    {
        var audio = Dump($"{backend}-03-realtimeInput-audio.json");
        var pcm = Convert.FromBase64String(audio["realtimeInput"]!["audio"]!["data"]!.GetValue<string>());
        JsonAssert.Equivalent(audio, GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteAudio(w, pcm)));

        JsonAssert.Equivalent(Dump($"{backend}-04-realtimeInput-audioStreamEnd.json"), GeminiClientMessageGoldenTests.Write(GeminiClientMessageWriter.WriteAudioStreamEnd));

        var content = Dump($"{backend}-02-clientContent.json");
        var note = content["clientContent"]!["turns"]![0]!["parts"]![0]!["text"]!.GetValue<string>();
        JsonAssert.Equivalent(content, GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteClientContent(w, ModelContent.ModelNote(note))));

        var tool = Dump($"{backend}-05-toolResponse.json");
        var response = tool["toolResponse"]!["functionResponses"]![0]!;
        var result = ModelToolResult.Success(response["id"]!.GetValue<string>(), response["name"]!.GetValue<string>(), JsonSerializer.SerializeToElement(response["response"]!["output"]));
        JsonAssert.Equivalent(tool, GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteToolResponse(w, result, result.CallId, sendScheduling: true)));
    }

    private static JsonNode Dump(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "conformance", "sdk-wire", file);
            if (File.Exists(path))
            {
                return JsonNode.Parse(File.ReadAllText(path))!;
            }
        }

        throw new FileNotFoundException($"tests/conformance/sdk-wire/{file} (the official SDK's wire dump, committed by the conformance script) was not found.");
    }
}
