using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Options;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>Client messages, compared as JSON trees with the recorded frames in shared/protocols/gemini-golden/client-*.json.</summary>
public sealed class GeminiClientMessageGoldenTests
{
    private static readonly JsonElement WeatherSchema = JsonDocument.Parse("""
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "properties": {"city": {"type": "string"}}, "required": ["city"], "additionalProperties": false}
        """).RootElement;

    [Fact]
    public void Full_setup_matches_the_JS_SDK_capture()
    {
        var config = new ModelSessionConfig
        {
            SystemInstruction = "You are a concise assistant.",
            Voice = "Puck",
            LanguageCode = "en-US",
            Temperature = 0.7,
            Thinking = ModelThinking.Off,
            Tools = [new ModelToolDeclaration("get_weather", "Get the weather for a city.", WeatherSchema, NonBlocking: true)],
            TurnDetection = new ModelTurnDetection
            {
                Disabled = false,
                HighStartSensitivity = false,
                HighEndSensitivity = false,
                PrefixPaddingMs = 20,
                SilenceDurationMs = 100,
                CallerCanInterrupt = true,
                TurnIncludesOnlyActivity = true,
            },
            ContextCompression = new ModelContextCompression(25600, 12800),
            ResumptionHandle = "b7d4e2a9-61c3-4f0b-8e5d-9a2c7f14e036",
        };
        var capabilities = GeminiModelCatalog.NativeAudio25 with { LanguageCode = true };

        var setup = GeminiSetupBuilder.Build(config, capabilities, "models/gemini-2.5-flash-native-audio-preview-12-2025", new GeminiSessionDefaults());

        JsonAssert.Equivalent(GeminiGolden.Json("client-setup-full.json"), Write(w => GeminiClientMessageWriter.WriteSetup(w, setup)));
    }

    [Fact]
    public void Full_setup_keeps_the_JS_SDK_key_order()
    {
        var golden = GeminiGolden.Json("client-setup-full.json")["setup"]!.AsObject();
        var config = new ModelSessionConfig
        {
            SystemInstruction = "x",
            Voice = "Puck",
            LanguageCode = "en-US",
            Temperature = 0.7,
            Tools = [new ModelToolDeclaration("get_weather", "d", WeatherSchema, NonBlocking: true)],
            TurnDetection = new ModelTurnDetection { Disabled = false, HighStartSensitivity = false, HighEndSensitivity = false, PrefixPaddingMs = 1, SilenceDurationMs = 1, CallerCanInterrupt = true, TurnIncludesOnlyActivity = true },
            ResumptionHandle = "h",
        };
        var setup = GeminiSetupBuilder.Build(config, GeminiModelCatalog.NativeAudio25 with { LanguageCode = true }, "models/m", new GeminiSessionDefaults());

        var written = JsonNode.Parse(Write(w => GeminiClientMessageWriter.WriteSetup(w, setup)))!["setup"]!.AsObject();

        Assert.Equal(golden.Select(p => p.Key), written.Select(p => p.Key));
        Assert.Equal(golden["generationConfig"]!.AsObject().Select(p => p.Key), written["generationConfig"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Minimal_setup_is_just_the_model()
    {
        var setup = new GeminiSetup { Model = "models/gemini-2.5-flash-native-audio-preview-12-2025" };

        JsonAssert.Equivalent(GeminiGolden.Json("client-setup-minimal.json"), Write(w => GeminiClientMessageWriter.WriteSetup(w, setup)));
    }

    [Fact]
    public void Vertex_setup_has_the_project_model_resource()
    {
        var options = new GeminiOptions { Vertex = { Project = "example-project", Location = "us-central1" } };
        var endpoints = new GeminiEndpointResolver(GeminiBackend.Vertex, options, tokens: null, emulator: null);
        var config = new ModelSessionConfig
        {
            SystemInstruction = "You are a concise assistant.",
            Resumable = false,
            ContextCompression = ModelContextCompression.Off,
        };

        var setup = GeminiSetupBuilder.Build(config, GeminiModelCatalog.VertexNativeAudio25 with { Thinking = GeminiThinkingField.None },
            endpoints.ModelResource("gemini-live-2.5-flash-native-audio", 0), new GeminiSessionDefaults());

        JsonAssert.Equivalent(GeminiGolden.Json("client-setup-vertex.json"), Write(w => GeminiClientMessageWriter.WriteSetup(w, setup)));
    }

    [Fact]
    public void Python_SDK_setup_is_matched_too()
    {
        var schema = JsonDocument.Parse("""{"properties": {"city": {"type": "STRING"}}, "required": ["city"], "type": "OBJECT"}""").RootElement;
        var config = new ModelSessionConfig
        {
            SystemInstruction = "Reply in a few words.",
            Tools = [new ModelToolDeclaration("get_weather", "Look up the weather for a city.", schema)],
            Resumable = false,
            ContextCompression = ModelContextCompression.Off,
        };

        var setup = GeminiSetupBuilder.Build(config, GeminiModelCatalog.NativeAudio25 with { Thinking = GeminiThinkingField.None },
            "models/gemini-2.5-flash-native-audio-preview-09-2025", new GeminiSessionDefaults());

        JsonAssert.Equivalent(GeminiGolden.Json("client-setup-pysdk.json"), Write(w => GeminiClientMessageWriter.WriteSetup(w, setup)));
    }

    [Theory]
    [InlineData("client-realtimeInput-audio.json")]
    [InlineData("client-realtimeInput-audio-pysdk.json")]
    public void Realtime_audio(string file)
    {
        var golden = JsonAssert.Canonical(GeminiGolden.Json(file))!;
        var pcm = Convert.FromBase64String(golden["realtimeInput"]!["audio"]!["data"]!.GetValue<string>());

        var written = JsonNode.Parse(Write(w => GeminiClientMessageWriter.WriteAudio(w, pcm)))!;

        JsonAssert.Equivalent(golden, written);
        Assert.Equal("audio/pcm;rate=16000", written["realtimeInput"]!["audio"]!["mimeType"]!.GetValue<string>());
    }

    [Fact]
    public void Realtime_text() =>
        JsonAssert.Equivalent(GeminiGolden.Json("client-realtimeInput-text.json"), Write(w => GeminiClientMessageWriter.WriteText(w, "Hello there")));

    [Fact]
    public void Audio_stream_end() =>
        JsonAssert.Equivalent(GeminiGolden.Json("client-realtimeInput-audioStreamEnd.json"), Write(GeminiClientMessageWriter.WriteAudioStreamEnd));

    [Fact]
    public void Client_content_user_turn() =>
        JsonAssert.Equivalent(GeminiGolden.Json("client-clientContent.json"),
            Write(w => GeminiClientMessageWriter.WriteClientContent(w, ModelContent.UserTurn("What is the weather in Lyon?"))));

    [Fact]
    public void Client_content_history_seed()
    {
        var content = new ModelContent(
            [new ModelContentTurn(ModelRole.User, "My name is Sam and I like green."), new ModelContentTurn(ModelRole.Model, "Nice to meet you, Sam!")],
            TurnComplete: false);

        JsonAssert.Equivalent(JsonAssert.Canonical(GeminiGolden.Json("client-clientContent-history-pysdk.json")),
            Write(w => GeminiClientMessageWriter.WriteClientContent(w, content)));
    }

    [Fact]
    public void Tool_response_with_scheduling()
    {
        var result = ModelToolResult.Success("function-call-10458203941175630621", "get_weather", "sunny, 21 C") with { Scheduling = ModelToolScheduling.WhenIdle };

        // The JS SDK's message (scheduling beside "response") plus the docs sample's placement inside it.
        var expected = GeminiGolden.Json("client-toolResponse.json");
        expected["toolResponse"]!["functionResponses"]![0]!["response"]!["scheduling"] = "WHEN_IDLE";

        JsonAssert.Equivalent(expected, Write(w => GeminiClientMessageWriter.WriteToolResponse(w, result, result.CallId, sendScheduling: true)));
    }

    [Fact]
    public void Tool_response_without_scheduling()
    {
        var result = ModelToolResult.Success("fc_6120374459018273344", "get_weather", "It is cloudy and 14 degrees in Lyon.");

        JsonAssert.Equivalent(JsonAssert.Canonical(GeminiGolden.Json("client-toolResponse-pysdk.json")),
            Write(w => GeminiClientMessageWriter.WriteToolResponse(w, result, result.CallId, sendScheduling: false)));
    }

    [Fact]
    public void Tool_error_goes_in_response_error_and_a_call_without_id_is_answered_without_id()
    {
        var result = ModelToolResult.Failure("local-1", "get_weather", "The weather service is down.");

        var written = JsonNode.Parse(Write(w => GeminiClientMessageWriter.WriteToolResponse(w, result, wireId: null, sendScheduling: false)));

        JsonAssert.Equivalent(JsonNode.Parse("""
            {"toolResponse": {"functionResponses": [{"name": "get_weather", "response": {"error": "The weather service is down."}}]}}
            """), written);
    }

    [Theory]
    [InlineData("sequence-devapi-tool-round.json")]
    [InlineData("sequence-devapi-25-native-text-turn.json")]
    [InlineData("sequence-vertex-25-native-turn.json")]
    [InlineData("sequence-devapi-3x-audio-turn.json")]
    public void Setups_in_recorded_sequences(string file)
    {
        var expected = GeminiGolden.Json(file)["frames"]!.AsArray().First(f => f!["json"]!["setup"] is not null)!["json"]!;
        var recorded = expected["setup"]!;
        var tools = recorded["tools"]?[0]?["functionDeclarations"]?.AsArray().Select(f => new ModelToolDeclaration(
            f!["name"]!.GetValue<string>(), f["description"]!.GetValue<string>(), JsonSerializer.SerializeToElement(f["parameters"]))).ToList() ?? [];
        var config = new ModelSessionConfig
        {
            SystemInstruction = recorded["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>(),
            Tools = tools,
            Resumable = false,
            ContextCompression = ModelContextCompression.Off,
        };

        var setup = GeminiSetupBuilder.Build(config, GeminiModelCatalog.NativeAudio25 with { Thinking = GeminiThinkingField.None },
            recorded["model"]!.GetValue<string>(), new GeminiSessionDefaults());

        JsonAssert.Equivalent(expected, Write(w => GeminiClientMessageWriter.WriteSetup(w, setup)));
    }

    [Fact]
    public void The_structural_comparison_does_see_differences()
    {
        Assert.ThrowsAny<Exception>(() => JsonAssert.Equivalent(JsonNode.Parse("""{"a": {"b": [1, 2]}}"""), JsonNode.Parse("""{"a": {"b": [2, 1]}}""")));
        Assert.ThrowsAny<Exception>(() => JsonAssert.Equivalent(JsonNode.Parse("""{"a": 0.7}"""), JsonNode.Parse("""{"a": "0.7"}""")));
        Assert.ThrowsAny<Exception>(() => JsonAssert.Equivalent(JsonNode.Parse("""{"a": {}}"""), JsonNode.Parse("""{"a": {}, "b": null}""")));
        JsonAssert.Equivalent(JsonNode.Parse("""{"a": 1, "b": {"c": true}}"""), JsonNode.Parse("""{"b": {"c": true}, "a": 1}"""));
    }

    internal static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
