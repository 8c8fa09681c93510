using System.Text.Json;

namespace PhoneAgent.CallReplay.Streams;

/// <summary>A message the server sent Twilio on a bidirectional stream, judged as Twilio judges it (protocol notes §3).</summary>
public abstract record ServerMessage
{
    /// <summary>Twilio's warning for an invalid message (bad JSON, unknown event, missing or extra fields, wrong streamSid).</summary>
    public const int InvalidMessageWarning = 31951;

    /// <summary>Twilio's warning for a message it cannot decode (a binary frame).</summary>
    public const int UndecodableMessageWarning = 31950;

    /// <summary>Parses one text frame; never throws.</summary>
    public static ServerMessage Parse(ReadOnlySpan<byte> utf8, string streamSid)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!JsonDocument.TryParseValue(ref reader, out var parsed))
            {
                return new InvalidServerMessage("empty message");
            }

            document = parsed;
        }
        catch (JsonException e)
        {
            return new InvalidServerMessage($"not JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var evt) || evt.ValueKind != JsonValueKind.String)
            {
                return new InvalidServerMessage("no \"event\" string");
            }

            var name = evt.GetString();
            return name switch
            {
                "media" => ParseMedia(root, streamSid),
                "mark" => ParseMark(root, streamSid),
                "clear" => Keys(root, "event", "streamSid") ?? Sid(root, streamSid) ?? (ServerMessage)new ClearMessage(),
                _ => new InvalidServerMessage($"unknown event \"{name}\""),
            };
        }
    }

    private static ServerMessage ParseMedia(JsonElement root, string streamSid)
    {
        if ((Keys(root, "event", "streamSid", "media") ?? Sid(root, streamSid)) is { } invalid)
        {
            return invalid;
        }

        var media = root.GetProperty("media");
        if (media.ValueKind != JsonValueKind.Object)
        {
            return new InvalidServerMessage("\"media\" is not an object");
        }

        if (Keys(media, "payload") is { } bad)
        {
            return bad with { Reason = "media: " + bad.Reason };
        }

        var payload = media.GetProperty("payload");
        if (payload.ValueKind != JsonValueKind.String || !payload.TryGetBytesFromBase64(out var bytes))
        {
            return new InvalidServerMessage("media.payload is not base64");
        }

        return new MediaMessage(bytes);
    }

    private static ServerMessage ParseMark(JsonElement root, string streamSid)
    {
        if ((Keys(root, "event", "streamSid", "mark") ?? Sid(root, streamSid)) is { } invalid)
        {
            return invalid;
        }

        var mark = root.GetProperty("mark");
        if (mark.ValueKind != JsonValueKind.Object)
        {
            return new InvalidServerMessage("\"mark\" is not an object");
        }

        if (Keys(mark, "name") is { } bad)
        {
            return bad with { Reason = "mark: " + bad.Reason };
        }

        var name = mark.GetProperty("name");
        return name.ValueKind == JsonValueKind.String ? new MarkMessage(name.GetString()!) : new InvalidServerMessage("mark.name is not a string");
    }

    /// <summary>Exactly <paramref name="expected"/> keys, no more, no fewer.</summary>
    private static InvalidServerMessage? Keys(JsonElement element, params string[] expected)
    {
        var seen = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(expected, property.Name) < 0)
            {
                return new InvalidServerMessage($"unexpected field \"{property.Name}\"");
            }

            seen++;
        }

        return seen == expected.Length ? null : new InvalidServerMessage($"missing field (expected {string.Join(", ", expected)})");
    }

    private static InvalidServerMessage? Sid(JsonElement root, string streamSid) =>
        root.GetProperty("streamSid") is { ValueKind: JsonValueKind.String } sid && sid.ValueEquals(streamSid)
            ? null
            : new InvalidServerMessage("streamSid does not match the stream");
}

/// <summary>Outbound audio: raw 8 kHz μ-law.</summary>
public sealed record MediaMessage(byte[] Payload) : ServerMessage;

/// <summary>A mark to echo once the audio before it has played.</summary>
public sealed record MarkMessage(string Name) : ServerMessage;

/// <summary>Drop all buffered audio and echo every pending mark.</summary>
public sealed record ClearMessage : ServerMessage;

/// <summary>A message Twilio ignores with warning 31951.</summary>
public sealed record InvalidServerMessage(string Reason) : ServerMessage
{
    public int Code { get; } = InvalidMessageWarning;
}
