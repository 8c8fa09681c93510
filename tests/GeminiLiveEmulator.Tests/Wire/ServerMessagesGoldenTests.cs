using System.Text;
using System.Text.Json;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Wire;

/// <summary>The emulator's server frames are byte-for-byte the recorded ones (layout, key order, omitted defaults).</summary>
public sealed class ServerMessagesGoldenTests
{
    public static TheoryData<string> FixedFrames => new()
    {
        "server-setupComplete-devapi.json",
        "server-setupComplete-vertex.json",
        "server-generationComplete.json",
        "server-interrupted.json",
        "server-goAway.json",
        "server-empty-message.json",
        "server-serverContent-empty.json",
        "server-resumption-update.json",
        "server-resumption-update-no-handle-INFERRED.json",
        "server-toolCallCancellation.json",
        "server-toolCall-devapi.json",
        "server-toolCall-devapi-3x.json",
        "server-toolCall-vertex.json",
        "server-transcription-input-devapi.json",
        "server-transcription-input-devapi-3x.json",
        "server-transcription-output-devapi.json",
        "server-transcription-output-empty-vertex.json",
        "server-transcription-output-finished-vertex.json",
        "server-voiceActivity-start-devapi-3x.json",
        "server-voiceActivity-end-devapi-3x.json",
        "server-text-part-devapi.json",
        "server-text-part-vertex.json",
        "server-thought-part-devapi.json",
        "server-turnComplete-usage-devapi.json",
        "server-turnComplete-usage-vertex.json",
        "server-turnComplete-usage-vertex-zero-audio.json",
        "server-audio-chunk-devapi.json",
        "server-audio-chunk-vertex.json",
        "server-audio-chunk-with-transcription-devapi-3x.json",
    };

    [Theory]
    [MemberData(nameof(FixedFrames))]
    public void Frame_MatchesGoldenByteForByte(string fixture)
    {
        var golden = Golden.Bytes(fixture);
        var frame = Rebuild(fixture, JsonDocument.Parse(golden).RootElement);

        Assert.Equal(Encoding.UTF8.GetString(golden), Encoding.UTF8.GetString(frame.Utf8));
    }

    /// <summary>Builds the emulator's frame for the same content as a golden fixture.</summary>
    private static ServerFrame Rebuild(string fixture, JsonElement golden)
    {
        var content = golden.TryGetProperty("serverContent", out var sc) ? sc : default;
        var vertex = fixture.Contains("vertex", StringComparison.Ordinal);
        var flavor = vertex ? WireFlavor.Vertex : fixture.Contains("3x", StringComparison.Ordinal) ? WireFlavor.DeveloperApi3 : WireFlavor.DeveloperApi2;
        switch (fixture)
        {
            case "server-setupComplete-devapi.json":
                return ServerMessages.SetupComplete(null);
            case "server-setupComplete-vertex.json":
                return ServerMessages.SetupComplete(golden.GetProperty("setupComplete").GetProperty("sessionId").GetString());
            case "server-generationComplete.json":
                return ServerMessages.GenerationComplete();
            case "server-interrupted.json":
                return ServerMessages.Interrupted();
            case "server-goAway.json":
                return ServerMessages.GoAway(TimeSpan.FromSeconds(50));
            case "server-empty-message.json":
                return ServerMessages.Empty();
            case "server-serverContent-empty.json":
                return ServerMessages.EmptyServerContent();
            case "server-resumption-update.json":
                return ServerMessages.SessionResumptionUpdate(golden.GetProperty("sessionResumptionUpdate").GetProperty("newHandle").GetString(), true, null);
            case "server-resumption-update-no-handle-INFERRED.json":
                return ServerMessages.SessionResumptionUpdate(null, false, null);
            case "server-toolCallCancellation.json":
                return ServerMessages.ToolCallCancellation([.. golden.GetProperty("toolCallCancellation").GetProperty("ids").EnumerateArray().Select(i => i.GetString()!)]);
            case var toolCall when toolCall.StartsWith("server-toolCall-", StringComparison.Ordinal):
                var call = golden.GetProperty("toolCall").GetProperty("functionCalls")[0];
                return ServerMessages.ToolCall([(call.GetProperty("name").GetString()!, call.GetProperty("args"), call.GetProperty("id").GetString())]);
            case var input when input.StartsWith("server-transcription-input", StringComparison.Ordinal):
                return ServerMessages.InputTranscription(content.GetProperty("inputTranscription").GetProperty("text").GetString()!);
            case var output when output.StartsWith("server-transcription-output", StringComparison.Ordinal):
                var transcription = content.GetProperty("outputTranscription");
                return ServerMessages.OutputTranscription(
                    transcription.TryGetProperty("text", out var text) ? text.GetString() : null,
                    transcription.TryGetProperty("finished", out _));
            case var activity when activity.StartsWith("server-voiceActivity", StringComparison.Ordinal):
                var voice = golden.GetProperty("voiceActivity");
                var offset = voice.GetProperty("audioOffset").GetString()!.TrimEnd('s');
                return ServerMessages.VoiceActivity(voice.GetProperty("type").GetString() == "ACTIVITY_START", TimeSpan.FromSeconds(double.Parse(offset, System.Globalization.CultureInfo.InvariantCulture)));
            case var part when part.StartsWith("server-text-part", StringComparison.Ordinal) || part.StartsWith("server-thought-part", StringComparison.Ordinal):
                var first = content.GetProperty("modelTurn").GetProperty("parts")[0];
                return ServerMessages.TextPart(flavor, first.GetProperty("text").GetString()!, first.TryGetProperty("thought", out _));
            case var usage when usage.StartsWith("server-turnComplete-usage", StringComparison.Ordinal):
                return ServerMessages.TurnComplete(flavor, UsageOf(golden.GetProperty("usageMetadata"), vertex));
            default:
                var inline = content.GetProperty("modelTurn").GetProperty("parts")[0].GetProperty("inlineData");
                var bundled = content.TryGetProperty("outputTranscription", out var bundle) ? bundle.GetProperty("text").GetString() : null;
                return ServerMessages.Audio(flavor, inline.GetProperty("data").GetBytesFromBase64(), bundled);
        }
    }

    private static UsageCounts UsageOf(JsonElement usage, bool vertex)
    {
        int Detail(string array, string modality) => usage.GetProperty(array).EnumerateArray()
            .Where(d => d.GetProperty("modality").GetString() == modality)
            .Select(d => d.TryGetProperty("tokenCount", out var n) ? n.GetInt32() : 0)
            .FirstOrDefault();
        var response = vertex ? "candidatesTokensDetails" : "responseTokensDetails";
        return new UsageCounts(
            Detail("promptTokensDetails", "TEXT"),
            Detail("promptTokensDetails", "AUDIO"),
            Detail(response, "TEXT"),
            Detail(response, "AUDIO"),
            usage.TryGetProperty("thoughtsTokenCount", out var thoughts) ? thoughts.GetInt32() : 0);
    }
}
