using System.Text.Json;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// Writes client → server messages with <see cref="Utf8JsonWriter"/>: camelCase, compact, text frames, keys in the
/// order Google's JS SDK writes them (shared/protocols/gemini-golden/client-*.json). No strings are built for audio:
/// PCM is base64-encoded straight into the writer's buffer.
/// </summary>
internal static class GeminiClientMessageWriter
{
    public const string InputAudioMimeType = "audio/pcm;rate=16000";

    public static void WriteSetup(Utf8JsonWriter writer, GeminiSetup setup)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(setup);

        writer.WriteStartObject();
        writer.WriteStartObject("setup");
        writer.WriteString("model", setup.Model);
        WriteGenerationConfig(writer, setup);

        if (setup.SystemInstruction is { } instruction)
        {
            writer.WriteStartObject("systemInstruction");
            writer.WriteStartArray("parts");
            writer.WriteStartObject();
            writer.WriteString("text", instruction);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("role", "user");
            writer.WriteEndObject();
        }

        if (setup.FunctionDeclarations.Count > 0 || setup.GoogleSearch)
        {
            writer.WriteStartArray("tools");
        }

        if (setup.FunctionDeclarations.Count > 0)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("functionDeclarations");
            foreach (var function in setup.FunctionDeclarations)
            {
                writer.WriteStartObject();
                writer.WriteString("name", function.Name);
                writer.WriteString("description", function.Description);
                if (function.Behavior is { } behavior)
                {
                    writer.WriteString("behavior", behavior);
                }

                if (function.Parameters is { ValueKind: JsonValueKind.Object } parameters)
                {
                    writer.WritePropertyName("parameters");
                    GeminiSchemaWriter.Write(writer, parameters);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (setup.GoogleSearch)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("googleSearch");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (setup.FunctionDeclarations.Count > 0 || setup.GoogleSearch)
        {
            writer.WriteEndArray();
        }

        if (setup.SessionResumption)
        {
            writer.WriteStartObject("sessionResumption");
            if (setup.ResumptionHandle is { } handle)
            {
                writer.WriteString("handle", handle);
            }

            writer.WriteEndObject();
        }

        if (setup.InputAudioTranscription)
        {
            writer.WriteStartObject("inputAudioTranscription");
            writer.WriteEndObject();
        }

        if (setup.OutputAudioTranscription)
        {
            writer.WriteStartObject("outputAudioTranscription");
            writer.WriteEndObject();
        }

        if (setup.RealtimeInputConfig is { } input)
        {
            WriteRealtimeInputConfig(writer, input);
        }

        if (setup.ContextWindowCompression)
        {
            // int64 fields are JSON strings in proto3 JSON (as the JS SDK writes them).
            writer.WriteStartObject("contextWindowCompression");
            if (setup.CompressionTriggerTokens is { } trigger)
            {
                writer.WriteString("triggerTokens", trigger.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            writer.WriteStartObject("slidingWindow");
            if (setup.CompressionTargetTokens is { } target)
            {
                writer.WriteString("targetTokens", target.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (setup.ProactiveAudio is { } proactive)
        {
            writer.WriteStartObject("proactivity");
            writer.WriteBoolean("proactiveAudio", proactive);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteGenerationConfig(Utf8JsonWriter writer, GeminiSetup setup)
    {
        var hasSpeech = setup.VoiceName is not null || setup.LanguageCode is not null;
        var hasThinking = setup.ThinkingBudget is not null || setup.ThinkingLevel is not null;
        if (setup.ResponseModalities is null && setup.Temperature is null && !hasSpeech && !hasThinking && setup.EnableAffectiveDialog is null)
        {
            return;
        }

        writer.WriteStartObject("generationConfig");
        if (setup.ResponseModalities is { } modalities)
        {
            writer.WriteStartArray("responseModalities");
            foreach (var modality in modalities)
            {
                writer.WriteStringValue(modality);
            }

            writer.WriteEndArray();
        }

        if (setup.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature", temperature);
        }

        if (hasSpeech)
        {
            writer.WriteStartObject("speechConfig");
            if (setup.VoiceName is { } voice)
            {
                writer.WriteStartObject("voiceConfig");
                writer.WriteStartObject("prebuiltVoiceConfig");
                writer.WriteString("voiceName", voice);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (setup.LanguageCode is { } language)
            {
                writer.WriteString("languageCode", language);
            }

            writer.WriteEndObject();
        }

        if (hasThinking)
        {
            writer.WriteStartObject("thinkingConfig");
            if (setup.ThinkingBudget is { } budget)
            {
                writer.WriteNumber("thinkingBudget", budget);
            }

            if (setup.ThinkingLevel is { } level)
            {
                writer.WriteString("thinkingLevel", level);
            }

            writer.WriteEndObject();
        }

        if (setup.EnableAffectiveDialog is { } affective)
        {
            writer.WriteBoolean("enableAffectiveDialog", affective);
        }

        writer.WriteEndObject();
    }

    private static void WriteRealtimeInputConfig(Utf8JsonWriter writer, GeminiRealtimeInputConfig input)
    {
        writer.WriteStartObject("realtimeInputConfig");
        writer.WriteStartObject("automaticActivityDetection");
        if (input.Disabled is { } disabled)
        {
            writer.WriteBoolean("disabled", disabled);
        }

        if (input.StartOfSpeechSensitivity is { } start)
        {
            writer.WriteString("startOfSpeechSensitivity", start);
        }

        if (input.EndOfSpeechSensitivity is { } end)
        {
            writer.WriteString("endOfSpeechSensitivity", end);
        }

        if (input.PrefixPaddingMs is { } prefix)
        {
            writer.WriteNumber("prefixPaddingMs", prefix);
        }

        if (input.SilenceDurationMs is { } silence)
        {
            writer.WriteNumber("silenceDurationMs", silence);
        }

        writer.WriteEndObject();
        if (input.ActivityHandling is { } handling)
        {
            writer.WriteString("activityHandling", handling);
        }

        if (input.TurnCoverage is { } coverage)
        {
            writer.WriteString("turnCoverage", coverage);
        }

        writer.WriteEndObject();
    }

    /// <summary><c>{"realtimeInput":{"audio":{"data":"…","mimeType":"audio/pcm;rate=16000"}}}</c>.</summary>
    public static void WriteAudio(Utf8JsonWriter writer, ReadOnlySpan<byte> pcm16k)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("realtimeInput");
        writer.WriteStartObject("audio");
        writer.WriteBase64String("data", pcm16k);
        writer.WriteString("mimeType", InputAudioMimeType);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>{"realtimeInput":{"audioStreamEnd":true}}</c>.</summary>
    public static void WriteAudioStreamEnd(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("realtimeInput");
        writer.WriteBoolean("audioStreamEnd", true);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>{"realtimeInput":{"text":"…"}}</c>.</summary>
    public static void WriteText(Utf8JsonWriter writer, string text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("realtimeInput");
        writer.WriteString("text", text);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>{"clientContent":{"turns":[{"parts":[{"text":"…"}],"role":"user"}],"turnComplete":true}}</c>.</summary>
    public static void WriteClientContent(Utf8JsonWriter writer, ModelContent content)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(content);
        writer.WriteStartObject();
        writer.WriteStartObject("clientContent");
        writer.WriteStartArray("turns");
        foreach (var turn in content.Turns)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("parts");
            writer.WriteStartObject();
            writer.WriteString("text", turn.Text);
            writer.WriteEndObject();
            writer.WriteEndArray();
            // Always a role: 3.x closes with 1007 on a missing one, and "system" is refused everywhere.
            writer.WriteString("role", turn.Role == ModelRole.Model ? "model" : "user");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("turnComplete", content.TurnComplete);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>{"toolResponse":{"functionResponses":[{"id","name","response":{"output"|"error","scheduling"},"scheduling"}]}}</c>.
    /// <paramref name="wireId"/> is <see langword="null"/> when the call came without an id (old Vertex models).
    /// </summary>
    public static void WriteToolResponse(Utf8JsonWriter writer, ModelToolResult result, string? wireId, bool sendScheduling)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        writer.WriteStartObject("toolResponse");
        writer.WriteStartArray("functionResponses");
        writer.WriteStartObject();
        if (wireId is not null)
        {
            writer.WriteString("id", wireId);
        }

        writer.WriteString("name", result.Name);
        var scheduling = sendScheduling && result.Scheduling is { } value
            ? value switch
            {
                ModelToolScheduling.Interrupt => "INTERRUPT",
                ModelToolScheduling.Silent => "SILENT",
                _ => "WHEN_IDLE",
            }
            : null;
        writer.WriteStartObject("response");
        if (result.Error is { } error)
        {
            writer.WriteString("error", error);
        }
        else if (result.Output is { } output)
        {
            writer.WritePropertyName("output");
            output.WriteTo(writer);
        }

        if (scheduling is not null)
        {
            // Inside "response" as Google's docs sample (and pipecat) place it; which placement the server reads is
            // not documented, so both are sent.
            writer.WriteString("scheduling", scheduling);
        }

        writer.WriteEndObject();
        if (scheduling is not null)
        {
            // Sibling of "response", as the proto and the JS SDK place it.
            writer.WriteString("scheduling", scheduling);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
