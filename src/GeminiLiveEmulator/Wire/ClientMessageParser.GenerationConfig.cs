using System.Collections.Frozen;
using System.Text.Json;
using PhoneAgent.GeminiLiveEmulator.Hosting;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

internal static partial class ClientMessageParser
{
    private static SessionSetup ParseGenerationConfig(SessionSetup result, JsonElement generation, LiveEndpoint endpoint, bool previewSurface)
    {
        const string path = "setup.generation_config";
        foreach (var property in generation.EnumerateObject())
        {
            var name = JsonFields.ToCamel(property.Name);
            if (NotSupportedInLive.Contains(name))
            {
                throw ProtocolViolationException.InvalidArgument($"generationConfig.{name} is not supported by the Live API");
            }
        }

        var known = new HashSet<string>(GenerationConfigFields, StringComparer.Ordinal);
        if (previewSurface)
        {
            known.Add("enableAffectiveDialog");
        }

        if (!endpoint.IsVertex)
        {
            known.Add("translationConfig");
        }

        JsonFields.RejectUnknown(generation, path, known.ToFrozenSet(StringComparer.Ordinal));

        var modalities = new List<string>();
        foreach (var item in JsonFields.GetArray(generation, "responseModalities", path))
        {
            var value = item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var n) && n >= 0 && n < Modalities.Length
                ? Modalities[n]
                : item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
            if (Array.IndexOf(Modalities, value) < 0)
            {
                throw ProtocolViolationException.InvalidArgument($"invalid value at 'setup.generation_config.response_modalities': {item}");
            }

            modalities.Add(value);
        }

        string? voice = null;
        var speech = JsonFields.GetObject(generation, "speechConfig", path);
        if (speech is { } s)
        {
            if (JsonFields.Has(s, "multiSpeakerVoiceConfig"))
            {
                throw ProtocolViolationException.InvalidArgument("multiSpeakerVoiceConfig is not supported by the Live API");
            }

            if (JsonFields.GetObject(s, "voiceConfig", $"{path}.speech_config") is { } voiceConfig
                && JsonFields.GetObject(voiceConfig, "prebuiltVoiceConfig", $"{path}.speech_config.voice_config") is { } prebuilt)
            {
                voice = JsonFields.GetString(prebuilt, "voiceName", $"{path}.speech_config.voice_config.prebuilt_voice_config");
            }
        }

        var thinking = JsonFields.GetObject(generation, "thinkingConfig", path);
        return result with
        {
            ResponseModalities = modalities,
            HasSpeechConfig = speech is not null,
            VoiceName = voice,
            ThinkingBudget = thinking is { } t ? JsonFields.GetInt64(t, "thinkingBudget", $"{path}.thinking_config") : null,
            ThinkingLevel = thinking is { } tl ? JsonFields.GetString(tl, "thinkingLevel", $"{path}.thinking_config") : null,
            EnableAffectiveDialog = JsonFields.GetBool(generation, "enableAffectiveDialog", path) == true,
        };
    }
}
