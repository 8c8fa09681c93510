using System.Text.Json;
using System.Text.Json.Nodes;
using PhoneAgent.GeminiLiveEmulator.Audio;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

/// <summary>Client messages as the JS SDK writes them (compact camelCase JSON).</summary>
internal static class Messages
{
    public const string DevModel = "models/gemini-2.5-flash-native-audio-preview-12-2025";
    public const string Dev3Model = "models/gemini-3.1-flash-live-preview";
    public const string VertexModel = "projects/example-project/locations/us-central1/publishers/google/models/gemini-live-2.5-flash-native-audio";

    /// <summary>A setup with transcription both ways, resumption on, and fast voice activity (300 ms of silence ends a turn).</summary>
    public static string Setup(string model = DevModel, Action<JsonObject>? edit = null, int silenceMs = 300, string? handle = null)
    {
        var setup = new JsonObject
        {
            ["model"] = model,
            ["generationConfig"] = new JsonObject { ["responseModalities"] = new JsonArray("AUDIO") },
            ["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = "You are a phone agent." }), ["role"] = "user" },
            ["realtimeInputConfig"] = new JsonObject
            {
                ["automaticActivityDetection"] = new JsonObject
                {
                    ["disabled"] = false,
                    ["startOfSpeechSensitivity"] = "START_SENSITIVITY_HIGH",
                    ["endOfSpeechSensitivity"] = "END_SENSITIVITY_HIGH",
                    ["prefixPaddingMs"] = 20,
                    ["silenceDurationMs"] = silenceMs,
                },
                ["activityHandling"] = "START_OF_ACTIVITY_INTERRUPTS",
            },
            ["inputAudioTranscription"] = new JsonObject(),
            ["outputAudioTranscription"] = new JsonObject(),
            ["sessionResumption"] = handle is null ? new JsonObject() : new JsonObject { ["handle"] = handle },
        };
        edit?.Invoke(setup);
        return new JsonObject { ["setup"] = setup }.ToJsonString();
    }

    public static JsonObject Tools(params (string Name, string? Behavior)[] functions)
    {
        var declarations = new JsonArray();
        foreach (var (name, behavior) in functions)
        {
            var declaration = new JsonObject
            {
                ["name"] = name,
                ["description"] = $"The {name} function.",
                ["parameters"] = new JsonObject { ["type"] = "OBJECT", ["properties"] = new JsonObject() },
            };
            if (behavior is not null)
            {
                declaration["behavior"] = behavior;
            }

            declarations.Add(declaration);
        }

        return new JsonObject { ["functionDeclarations"] = declarations };
    }

    public static string Audio(ReadOnlySpan<short> samples, int sampleRate) =>
        JsonSerializer.Serialize(new { realtimeInput = new { audio = new { mimeType = $"audio/pcm;rate={sampleRate}", data = Convert.ToBase64String(Pcm.ToBytes(samples)) } } });

    public static string ClientContent(string text, bool turnComplete, string role = "user") =>
        JsonSerializer.Serialize(new { clientContent = new { turns = new[] { new { parts = new[] { new { text } }, role } }, turnComplete } });

    public static string ToolResponse(string id, string name, object response, string? scheduling = null) => scheduling is null
        ? JsonSerializer.Serialize(new { toolResponse = new { functionResponses = new[] { new { id, name, response } } } })
        : JsonSerializer.Serialize(new { toolResponse = new { functionResponses = new[] { new { id, name, response, scheduling } } } });
}
