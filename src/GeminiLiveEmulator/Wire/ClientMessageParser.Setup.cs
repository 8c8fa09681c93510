using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using PhoneAgent.GeminiLiveEmulator.Hosting;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

internal static partial class ClientMessageParser
{
    private static readonly string[] SetupCommonFields =
    [
        "model", "generationConfig", "systemInstruction", "tools", "realtimeInputConfig", "sessionResumption",
        "contextWindowCompression", "inputAudioTranscription", "outputAudioTranscription", "historyConfig", "safetySettings",
    ];

    private static readonly string[] GenerationConfigFields =
    [
        "candidateCount", "maxOutputTokens", "temperature", "topP", "topK", "presencePenalty", "frequencyPenalty", "seed",
        "responseModalities", "speechConfig", "mediaResolution", "thinkingConfig",
    ];

    /// <summary>GenerationConfig fields the proto has but the Live API refuses (S1, S8).</summary>
    private static readonly FrozenSet<string> NotSupportedInLive = FrozenSet.Create(
        StringComparer.Ordinal,
        "responseLogprobs", "responseMimeType", "logprobs", "responseSchema", "responseJsonSchema", "stopSequences",
        "routingConfig", "audioTimestamp");

    private static readonly string[] Modalities = ["MODALITY_UNSPECIFIED", "TEXT", "IMAGE", "AUDIO"];
    private static readonly string[] StartSensitivities = ["START_SENSITIVITY_UNSPECIFIED", "START_SENSITIVITY_HIGH", "START_SENSITIVITY_LOW"];
    private static readonly string[] EndSensitivities = ["END_SENSITIVITY_UNSPECIFIED", "END_SENSITIVITY_HIGH", "END_SENSITIVITY_LOW"];
    private static readonly string[] ActivityHandlings = ["ACTIVITY_HANDLING_UNSPECIFIED", "START_OF_ACTIVITY_INTERRUPTS", "NO_INTERRUPTION"];
    private static readonly string[] TurnCoverages = ["TURN_COVERAGE_UNSPECIFIED", "TURN_INCLUDES_ONLY_ACTIVITY", "TURN_INCLUDES_ALL_INPUT", "TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO"];
    private static readonly string[] Behaviors = ["UNSPECIFIED", "BLOCKING", "NON_BLOCKING"];

    private static readonly FrozenSet<string> ToolFields = FrozenSet.Create(
        StringComparer.Ordinal,
        "functionDeclarations", "googleSearch", "googleSearchRetrieval", "codeExecution", "urlContext", "googleMaps",
        "retrieval", "enterpriseWebSearch", "computerUse", "fileSearch");

    private static readonly FrozenSet<string> VadFields = FrozenSet.Create(
        StringComparer.Ordinal, "disabled", "startOfSpeechSensitivity", "endOfSpeechSensitivity", "prefixPaddingMs", "silenceDurationMs");

    private static readonly FrozenSet<string> RealtimeInputConfigFields =
        FrozenSet.Create(StringComparer.Ordinal, "automaticActivityDetection", "activityHandling", "turnCoverage");

    private static SessionSetup ParseSetup(JsonElement setup, LiveEndpoint endpoint)
    {
        const string path = "setup";
        // enableAffectiveDialog and proactivity exist only in the Developer API's v1alpha surface (and on Vertex).
        var previewSurface = endpoint.IsVertex || endpoint.Version == "v1alpha";
        var known = new HashSet<string>(SetupCommonFields, StringComparer.Ordinal);
        if (endpoint.IsVertex)
        {
            known.Add("explicitVadSignal");
        }
        else
        {
            known.Add("avatarConfig");
        }

        if (previewSurface)
        {
            known.Add("proactivity");
        }

        JsonFields.RejectUnknown(setup, path, known.ToFrozenSet(StringComparer.Ordinal));

        var model = JsonFields.GetString(setup, "model", path);
        if (string.IsNullOrEmpty(model))
        {
            throw ProtocolViolationException.InvalidArgument("setup.model is required");
        }

        var result = new SessionSetup { Model = model, Fields = [.. setup.EnumerateObject().Select(p => JsonFields.ToCamel(p.Name))] };
        if (JsonFields.GetObject(setup, "generationConfig", path) is { } generation)
        {
            result = ParseGenerationConfig(result, generation, endpoint, previewSurface);
        }

        if (JsonFields.GetObject(setup, "systemInstruction", path) is { } instruction)
        {
            var content = ParseContent(instruction, "setup.system_instruction");
            if (content.Role is not null and not "user" and not "model")
            {
                throw ProtocolViolationException.InvalidArgument($"systemInstruction role \"{content.Role}\" (only user or model, or none)");
            }

            result = result with { SystemInstruction = content.Text };
        }

        result = result with { Functions = ParseTools(setup) };
        if (JsonFields.GetObject(setup, "realtimeInputConfig", path) is { } realtime)
        {
            result = result with { RealtimeInput = ParseRealtimeInputConfig(realtime) };
        }

        var resumption = JsonFields.GetObject(setup, "sessionResumption", path);
        if (resumption is { } r)
        {
            var known2 = endpoint.IsVertex
                ? FrozenSet.Create(StringComparer.Ordinal, "handle", "transparent")
                : FrozenSet.Create(StringComparer.Ordinal, "handle");
            JsonFields.RejectUnknown(r, "setup.session_resumption", known2);
        }

        var history = JsonFields.GetObject(setup, "historyConfig", path);
        var proactivity = JsonFields.GetObject(setup, "proactivity", path);
        _ = JsonFields.GetObject(setup, "contextWindowCompression", path);
        return result with
        {
            InputTranscription = JsonFields.GetObject(setup, "inputAudioTranscription", path) is not null,
            OutputTranscription = JsonFields.GetObject(setup, "outputAudioTranscription", path) is not null,
            SessionResumption = resumption is not null,
            ResumeHandle = resumption is { } rr ? NullIfEmpty(JsonFields.GetString(rr, "handle", "setup.session_resumption")) : null,
            TransparentResumption = resumption is { } rt && JsonFields.GetBool(rt, "transparent", "setup.session_resumption") == true,
            ContextWindowCompression = JsonFields.Has(setup, "contextWindowCompression"),
            InitialHistoryInClientContent = history is { } h && JsonFields.GetBool(h, "initialHistoryInClientContent", "setup.history_config") == true,
            ProactiveAudio = proactivity is { } p && JsonFields.GetBool(p, "proactiveAudio", "setup.proactivity") == true,
        };
    }

    private static RealtimeInputSettings ParseRealtimeInputConfig(JsonElement config)
    {
        const string path = "setup.realtime_input_config";
        JsonFields.RejectUnknown(config, path, RealtimeInputConfigFields);
        var settings = new RealtimeInputSettings
        {
            NoInterruption = ReadEnum(config, "activityHandling", path, ActivityHandlings) == "NO_INTERRUPTION",
            TurnCoverage = ReadEnum(config, "turnCoverage", path, TurnCoverages),
        };

        if (JsonFields.GetObject(config, "automaticActivityDetection", path) is not { } vad)
        {
            return settings;
        }

        const string vadPath = path + ".automatic_activity_detection";
        JsonFields.RejectUnknown(vad, vadPath, VadFields);
        var prefix = JsonFields.GetInt64(vad, "prefixPaddingMs", vadPath);
        var silence = JsonFields.GetInt64(vad, "silenceDurationMs", vadPath);
        if (prefix is < 0 or > 60_000 || silence is < 0 or > 60_000)
        {
            throw ProtocolViolationException.InvalidArgument("prefixPaddingMs and silenceDurationMs must be between 0 and 60000");
        }

        return settings with
        {
            AutomaticActivityDetection = JsonFields.GetBool(vad, "disabled", vadPath) != true,
            StartSensitivity = ReadEnum(vad, "startOfSpeechSensitivity", vadPath, StartSensitivities),
            EndSensitivity = ReadEnum(vad, "endOfSpeechSensitivity", vadPath, EndSensitivities),
            PrefixPaddingMs = (int?)prefix,
            SilenceDurationMs = (int?)silence,
        };
    }

    /// <summary>A <c>Content</c>: role (null when omitted) and the text of its parts.</summary>
    private static ContentTurn ParseContent(JsonElement content, string protoPath)
    {
        JsonFields.RejectUnknown(content, protoPath, FrozenSet.Create(StringComparer.Ordinal, "role", "parts"));
        var role = NullIfEmpty(JsonFields.GetString(content, "role", protoPath));
        if (role == "system")
        {
            throw ProtocolViolationException.InvalidArgument($"role \"system\" at '{protoPath}' (only user or model)");
        }

        var text = new StringBuilder();
        var others = 0;
        foreach (var part in JsonFields.GetArray(content, "parts", protoPath))
        {
            JsonFields.RequireObject(part, $"{protoPath}.parts");
            if (JsonFields.GetString(part, "text", $"{protoPath}.parts[0]") is { } partText)
            {
                text.Append(partText);
            }
            else
            {
                others++;
            }
        }

        return new ContentTurn(role, text.ToString(), others);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

}
