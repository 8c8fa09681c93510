using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using PhoneAgent.GeminiLiveEmulator.Hosting;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

internal static partial class ClientMessageParser
{
    private static readonly FrozenSet<string> RealtimeInputFields = FrozenSet.Create(
        StringComparer.Ordinal, "audio", "video", "text", "audioStreamEnd", "activityStart", "activityEnd", "mediaChunks");

    private static readonly FrozenSet<string> ClientContentFields = FrozenSet.Create(StringComparer.Ordinal, "turns", "turnComplete");

    private static readonly string[] Schedulings = ["SCHEDULING_UNSPECIFIED", "SILENT", "WHEN_IDLE", "INTERRUPT"];

    private static readonly FrozenSet<string> AudioBlobFields = FrozenSet.Create(StringComparer.Ordinal, "mimeType", "data");

    private static readonly FrozenSet<string> VertexAudioBlobFields = FrozenSet.Create(StringComparer.Ordinal, "mimeType", "data", "displayName");

    /// <summary>The last PCM MIME type read and its rate: a call declares the same one in every audio message.</summary>
    private static PcmMimeType? _lastPcmMimeType;

    private static RealtimeInputMessage ParseRealtimeInput(JsonElement input, LiveEndpoint endpoint)
    {
        const string path = "realtime_input";
        if (JsonFields.Has(input, "mediaChunks"))
        {
            throw new ProtocolViolationException(
                CloseReasons.InvalidPayload, CloseReasons.MediaChunksDeprecated, "realtimeInput.mediaChunks (deprecated) instead of audio");
        }

        JsonFields.RejectUnknown(input, path, RealtimeInputFields);
        AudioBlob? audio = null;
        if (JsonFields.GetObject(input, "audio", path) is { } blob)
        {
            audio = ParseAudioBlob(blob, endpoint);
        }

        int? videoBytes = null;
        if (JsonFields.GetObject(input, "video", path) is { } video)
        {
            videoBytes = ReadBase64(video, "data", "realtime_input.video").Length;
        }

        return new RealtimeInputMessage
        {
            Audio = audio,
            VideoBytes = videoBytes,
            Text = JsonFields.GetString(input, "text", path),
            AudioStreamEnd = JsonFields.GetBool(input, "audioStreamEnd", path) == true,
            ActivityStart = JsonFields.GetObject(input, "activityStart", path) is not null,
            ActivityEnd = JsonFields.GetObject(input, "activityEnd", path) is not null,
        };
    }

    private static AudioBlob ParseAudioBlob(JsonElement blob, LiveEndpoint endpoint)
    {
        const string path = "realtime_input.audio";
        JsonFields.RejectUnknown(blob, path, endpoint.IsVertex ? VertexAudioBlobFields : AudioBlobFields);
        var mime = ReadPcmMimeType(blob, path);
        var pcm = ReadBase64(blob, "data", path);
        return new AudioBlob(pcm, mime.Rate, mime.Text);
    }

    private static PcmMimeType ReadPcmMimeType(JsonElement blob, string path)
    {
        if (_lastPcmMimeType is { } last && JsonFields.TryGet(blob, "mimeType", out var value)
            && value.ValueKind == JsonValueKind.String && value.ValueEquals(last.Text))
        {
            return last;
        }

        var mimeType = JsonFields.GetString(blob, "mimeType", path) ?? "";
        var rate = ParsePcmRate(mimeType)
            ?? throw ProtocolViolationException.InvalidArgument($"unsupported audio MIME type \"{mimeType}\" (audio/pcm;rate=N expected)");
        return _lastPcmMimeType = new PcmMimeType(mimeType, rate);
    }

    /// <summary><c>audio/pcm</c> (16 kHz) or <c>audio/pcm;rate=N</c> with any N from 1 kHz to 192 kHz.</summary>
    internal static int? ParsePcmRate(string mimeType)
    {
        var parts = mimeType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts[0].Equals("audio/pcm", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rate = 16000;
        foreach (var parameter in parts.Skip(1))
        {
            var pair = parameter.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2 && pair[0].Equals("rate", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out rate) || rate < 1000 || rate > 192_000)
                {
                    return null;
                }
            }
        }

        return rate;
    }

    private static ClientContentMessage ParseClientContent(JsonElement content)
    {
        const string path = "client_content";
        JsonFields.RejectUnknown(content, path, ClientContentFields);
        var turns = new List<ContentTurn>();
        foreach (var turn in JsonFields.GetArray(content, "turns", path))
        {
            JsonFields.RequireObject(turn, "client_content.turns");
            turns.Add(ParseContent(turn, "client_content.turns"));
        }

        return new ClientContentMessage(turns, JsonFields.GetBool(content, "turnComplete", path) == true);
    }

    private static ToolResponseMessage ParseToolResponse(JsonElement toolResponse, LiveEndpoint endpoint)
    {
        const string path = "tool_response";
        JsonFields.RejectUnknown(toolResponse, path, FrozenSet.Create(StringComparer.Ordinal, "functionResponses"));
        var known = endpoint.IsVertex
            ? FrozenSet.Create(StringComparer.Ordinal, "id", "name", "response", "scheduling", "parts")
            : FrozenSet.Create(StringComparer.Ordinal, "id", "name", "response", "scheduling", "parts", "willContinue");
        var responses = new List<FunctionResponse>();
        foreach (var item in JsonFields.GetArray(toolResponse, "functionResponses", path))
        {
            const string itemPath = "tool_response.function_responses";
            JsonFields.RequireObject(item, itemPath);
            JsonFields.RejectUnknown(item, itemPath, known);
            var response = JsonFields.GetObject(item, "response", itemPath) ?? EmptyObject;
            var scheduling = ReadEnum(item, "scheduling", itemPath, Schedulings)
                ?? ReadEnum(response, "scheduling", $"{itemPath}.response", Schedulings);
            responses.Add(new FunctionResponse(
                NullIfEmpty(JsonFields.GetString(item, "id", itemPath)),
                NullIfEmpty(JsonFields.GetString(item, "name", itemPath)),
                response.Clone(),
                scheduling));
        }

        if (responses.Count == 0)
        {
            throw ProtocolViolationException.InvalidArgument("toolResponse without functionResponses");
        }

        return new ToolResponseMessage(responses);
    }

    private static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    private sealed record PcmMimeType(string Text, int Rate);
}
