using System.Text.Json.Nodes;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Options;

namespace PhoneAgent.Tests.Model;

/// <summary>The capability table decides what goes into the setup; the profile decides the rest.</summary>
public sealed class GeminiSetupBuilderTests
{
    private static readonly ModelSessionConfig Everything = new()
    {
        SystemInstruction = "x",
        Voice = "Kore",
        LanguageCode = "de-DE",
        AffectiveDialog = true,
        ProactiveAudio = true,
        Thinking = ModelThinking.Low,
        Tools = [new ModelToolDeclaration("slow_lookup", "d", NonBlocking: true), new ModelToolDeclaration("end_call", "d")],
    };

    [Fact]
    public void Native_audio_2_5_gets_affective_dialog_proactivity_a_thinking_budget_and_non_blocking_tools()
    {
        var setup = Setup(GeminiModelCatalog.NativeAudio25);

        Assert.True(setup["generationConfig"]!["enableAffectiveDialog"]!.GetValue<bool>());
        Assert.True(setup["proactivity"]!["proactiveAudio"]!.GetValue<bool>());
        Assert.Equal(1024, setup["generationConfig"]!["thinkingConfig"]!["thinkingBudget"]!.GetValue<int>());
        Assert.Null(setup["generationConfig"]!["thinkingConfig"]!["thinkingLevel"]);
        Assert.Null(setup["generationConfig"]!["speechConfig"]!["languageCode"]);
        var tools = setup["tools"]![0]!["functionDeclarations"]!.AsArray();
        Assert.Equal("NON_BLOCKING", tools[0]!["behavior"]!.GetValue<string>());
        Assert.Null(tools[1]!["behavior"]);
    }

    [Fact]
    public void Vertex_2_5_also_gets_the_language_code()
    {
        Assert.Equal("de-DE", Setup(GeminiModelCatalog.VertexNativeAudio25)["generationConfig"]!["speechConfig"]!["languageCode"]!.GetValue<string>());
    }

    [Fact]
    public void Live_3_1_gets_none_of_the_2_5_extras_and_a_thinking_level()
    {
        var setup = Setup(GeminiModelCatalog.Live31);

        Assert.Null(setup["generationConfig"]!["enableAffectiveDialog"]);
        Assert.Null(setup["proactivity"]);
        Assert.Equal("low", setup["generationConfig"]!["thinkingConfig"]!["thinkingLevel"]!.GetValue<string>());
        Assert.All(setup["tools"]![0]!["functionDeclarations"]!.AsArray(), t => Assert.Null(t!["behavior"]));
    }

    [Fact]
    public void Live_3_8_declares_blocking_tools_as_such()
    {
        var tools = Setup(GeminiModelCatalog.Live38)["tools"]![0]!["functionDeclarations"]!.AsArray();

        Assert.Null(tools[0]!["behavior"]);
        Assert.Equal("BLOCKING", tools[1]!["behavior"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(ModelThinking.Off, 0, "minimal")]
    [InlineData(ModelThinking.High, 16384, "high")]
    [InlineData(ModelThinking.Dynamic, -1, null)]
    public void Thinking_maps_to_budget_or_level(ModelThinking thinking, int budget, string? level)
    {
        Assert.Equal(budget, GeminiSetupBuilder.ThinkingBudget(thinking));
        Assert.Equal(level, GeminiSetupBuilder.ThinkingLevel(thinking));
    }

    [Fact]
    public void Unknown_models_are_guessed_by_family_and_every_built_in_row_is_named()
    {
        Assert.Equal(GeminiModelCatalog.NativeAudio25, GeminiModelCatalog.Resolve("gemini-2.5-flash-native-audio-preview-03-2027", null, out var known25));
        Assert.False(known25);
        Assert.Equal(GeminiModelCatalog.Live31, GeminiModelCatalog.Resolve("gemini-4.0-live", null, out _));
        Assert.True(GeminiModelCatalog.BuiltIn.ContainsKey(GeminiOptions.DefaultDeveloperApiModel));
        Assert.True(GeminiModelCatalog.BuiltIn.ContainsKey(GeminiOptions.DefaultVertexModel));
    }

    [Fact]
    public void The_profile_becomes_the_session_config()
    {
        var profile = new AgentProfile
        {
            Name = "sales",
            Language = "fr-FR",
            SystemInstruction = "Be brief.",
            Voice = "Charon",
            BargeIn = new BargeInSettings { Mode = BargeInMode.NoInterruption },
            VoiceActivity = new VoiceActivitySettings { StartSensitivity = SpeechSensitivity.High, EndSensitivity = SpeechSensitivity.Low, PrefixPaddingMs = 40, SilenceDurationMs = 700 },
        };

        var config = ModelSessionConfigFactory.FromProfile(profile, label: "CA123");
        var setup = JsonNode.Parse(GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteSetup(w,
            GeminiSetupBuilder.Build(config, GeminiModelCatalog.VertexNativeAudio25, "m", new GeminiSessionDefaults()))))!["setup"]!;

        Assert.Equal("CA123", config.Label);
        JsonAssertEquivalent("""
            {"automaticActivityDetection": {"disabled": false, "startOfSpeechSensitivity": "START_SENSITIVITY_HIGH", "endOfSpeechSensitivity": "END_SENSITIVITY_LOW",
              "prefixPaddingMs": 40, "silenceDurationMs": 700},
             "activityHandling": "NO_INTERRUPTION", "turnCoverage": "TURN_INCLUDES_ONLY_ACTIVITY"}
            """, setup["realtimeInputConfig"]);
        Assert.Equal("Charon", setup["generationConfig"]!["speechConfig"]!["voiceConfig"]!["prebuiltVoiceConfig"]!["voiceName"]!.GetValue<string>());
        Assert.Equal("fr-FR", setup["generationConfig"]!["speechConfig"]!["languageCode"]!.GetValue<string>());
        Assert.Equal(["AUDIO"], setup["generationConfig"]!["responseModalities"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(0, setup["generationConfig"]!["thinkingConfig"]!["thinkingBudget"]!.GetValue<int>());
        Assert.Equal("32000", setup["contextWindowCompression"]!["triggerTokens"]!.GetValue<string>());
        Assert.NotNull(setup["sessionResumption"]);
        Assert.NotNull(setup["inputAudioTranscription"]);
        Assert.NotNull(setup["outputAudioTranscription"]);
    }

    [Fact]
    public void The_profiles_language_steers_the_instruction_on_every_model()
    {
        var profile = new AgentProfile { Name = "p", Language = "es-MX", SystemInstruction = "Be brief." };

        var config = ModelSessionConfigFactory.FromProfile(profile);

        Assert.StartsWith("Be brief.\n\n", config.SystemInstruction, StringComparison.Ordinal);
        Assert.Contains("es-MX", config.SystemInstruction, StringComparison.Ordinal);
        var setup = JsonNode.Parse(GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteSetup(w,
            GeminiSetupBuilder.Build(config, GeminiModelCatalog.Live31, "m", new GeminiSessionDefaults()))))!["setup"]!;
        Assert.Contains("es-MX", setup["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(setup["generationConfig"]!["speechConfig"]!["languageCode"]); // not on 3.1
    }

    [Theory]
    [InlineData("gemini-2.5-flash-native-audio-preview-12-2025", true)]
    [InlineData("gemini-3.1-flash-live-preview", true)]
    [InlineData("gemini-3.8-live", false)]
    public void Google_search_grounding_is_sent_next_to_the_functions_where_the_model_takes_it(string model, bool sent)
    {
        var config = ModelSessionConfigFactory.FromProfile(
            new AgentProfile { Name = "p", Language = "en-US", SystemInstruction = "x", GoogleSearch = true },
            [new ModelToolDeclaration("end_call", "d")]);

        var setup = JsonNode.Parse(GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteSetup(w,
            GeminiSetupBuilder.Build(config, GeminiModelCatalog.Resolve(model, null, out _), "m", new GeminiSessionDefaults()))))!["setup"]!;

        var tools = setup["tools"]!.AsArray();
        Assert.Equal("end_call", tools[0]!["functionDeclarations"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(sent, tools.Any(t => t!["googleSearch"] is JsonObject { Count: 0 }));
    }

    [Fact]
    public void Google_search_alone_makes_a_tools_list_and_stays_off_unless_the_profile_asks()
    {
        var alone = GeminiSetupBuilder.Build(new ModelSessionConfig { GoogleSearch = true }, GeminiModelCatalog.NativeAudio25, "m", new GeminiSessionDefaults());
        var off = GeminiSetupBuilder.Build(new ModelSessionConfig(), GeminiModelCatalog.NativeAudio25, "m", new GeminiSessionDefaults());

        JsonAssertEquivalent("""[{"googleSearch": {}}]""", JsonNode.Parse(GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteSetup(w, alone)))!["setup"]!["tools"]);
        Assert.Null(JsonNode.Parse(GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteSetup(w, off)))!["setup"]!["tools"]);
    }

    [Fact]
    public void Json_schema_tools_become_gemini_schemas()
    {
        var schema = System.Text.Json.JsonDocument.Parse("""
            {"$schema": "x", "type": "object", "additionalProperties": false,
             "properties": {"type": {"type": "string", "enum": ["a", "b"]}, "note": {"type": ["string", "null"]},
                            "items": {"type": "array", "items": {"type": "integer"}}},
             "required": ["type"]}
            """).RootElement;
        var setup = GeminiSetupBuilder.Build(new ModelSessionConfig { Tools = [new ModelToolDeclaration("t", "d", schema)] }, GeminiModelCatalog.NativeAudio25, "m", new GeminiSessionDefaults());

        var written = JsonNode.Parse(GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteSetup(w, setup)))!;

        JsonAssertEquivalent("""
            {"type": "OBJECT", "properties": {"type": {"type": "STRING", "enum": ["a", "b"]}, "note": {"type": "STRING", "nullable": true},
              "items": {"type": "ARRAY", "items": {"type": "INTEGER"}}}, "required": ["type"]}
            """, written["setup"]!["tools"]![0]!["functionDeclarations"]![0]!["parameters"]);
    }

    private static JsonNode Setup(GeminiModelCapabilities capabilities) =>
        JsonNode.Parse(GeminiClientMessageGoldenTests.Write(w => GeminiClientMessageWriter.WriteSetup(w,
            GeminiSetupBuilder.Build(Everything, capabilities, "models/m", new GeminiSessionDefaults()))))!["setup"]!;

    private static void JsonAssertEquivalent(string expected, JsonNode? actual) => Testing.JsonAssert.Equivalent(JsonNode.Parse(expected), actual);
}
