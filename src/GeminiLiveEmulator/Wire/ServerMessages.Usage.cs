using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

internal static partial class ServerMessages
{
    /// <summary>
    /// <c>usageMetadata</c> in each back end's names: the Developer API says <c>responseTokenCount</c> and
    /// <c>responseTokensDetails</c>, Vertex <c>candidatesTokenCount</c> and <c>candidatesTokensDetails</c>. A zero
    /// <c>tokenCount</c> is omitted (<c>{"modality": "AUDIO"}</c>), as proto JSON omits defaults.
    /// </summary>
    private static void WriteUsage(Utf8JsonWriter w, WireFlavor flavor, UsageCounts usage)
    {
        var responseName = flavor.VertexUsageNames ? "candidates" : "response";
        w.WriteStartObject("usageMetadata");
        w.WriteNumber("promptTokenCount", usage.Prompt);
        if (usage.Response > 0)
        {
            w.WriteNumber($"{responseName}TokenCount", usage.Response);
        }

        w.WriteNumber("totalTokenCount", usage.Total);
        w.WriteStartArray("promptTokensDetails");
        WriteDetail(w, "TEXT", usage.PromptText);
        if (usage.PromptAudio > 0)
        {
            WriteDetail(w, "AUDIO", usage.PromptAudio);
        }

        w.WriteEndArray();
        w.WriteStartArray($"{responseName}TokensDetails");
        if (flavor.VertexUsageNames || usage.ResponseText > 0)
        {
            WriteDetail(w, "TEXT", usage.ResponseText);
        }

        WriteDetail(w, "AUDIO", usage.ResponseAudio);
        w.WriteEndArray();
        if (usage.Thoughts > 0)
        {
            w.WriteNumber("thoughtsTokenCount", usage.Thoughts);
        }

        w.WriteEndObject();
    }

    private static void WriteDetail(Utf8JsonWriter w, string modality, int tokens)
    {
        w.WriteStartObject();
        w.WriteString("modality", modality);
        if (tokens > 0)
        {
            w.WriteNumber("tokenCount", tokens);
        }

        w.WriteEndObject();
    }
}
