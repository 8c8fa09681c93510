using System.Net.WebSockets;
using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

/// <summary>One thing the test client received: a frame (parsed when it is JSON), a close frame, or a dropped connection.</summary>
internal sealed record ServerEvent(DateTimeOffset At, byte[] Raw, WebSocketMessageType Type, JsonElement? Json)
{
    public int? CloseCode { get; init; }

    public string? CloseReason { get; init; }

    /// <summary>The connection ended without a close frame.</summary>
    public bool Aborted { get; init; }

    public bool IsClose => Type == WebSocketMessageType.Close || Aborted;

    public bool IsMalformed => !IsClose && Json is null;

    /// <summary>True if the JSON has the dotted <paramref name="path"/> (e.g. <c>serverContent.turnComplete</c>).</summary>
    public bool Is(string path) => Find(path) is not null;

    public JsonElement? Find(string path)
    {
        if (Json is not { } current)
        {
            return null;
        }

        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    public byte[]? Audio => AudioPart?.GetProperty("data").GetBytesFromBase64();

    public string? AudioMimeType => AudioPart?.GetProperty("mimeType").GetString();

    public string? OutputText => Find("serverContent.outputTranscription") is { } t && t.TryGetProperty("text", out var text) ? text.GetString() : null;

    public string? InputText => Find("serverContent.inputTranscription.text")?.GetString();

    private JsonElement? AudioPart
    {
        get
        {
            if (Find("serverContent.modelTurn.parts") is not { } parts)
            {
                return null;
            }

            foreach (var part in parts.EnumerateArray())
            {
                if (part.TryGetProperty("inlineData", out var inline))
                {
                    return inline;
                }
            }

            return null;
        }
    }

    public override string ToString() => IsClose
        ? $"close {CloseCode} \"{CloseReason}\"{(Aborted ? " (aborted)" : "")}"
        : System.Text.Encoding.UTF8.GetString(Raw, 0, Math.Min(Raw.Length, 200)).ReplaceLineEndings(" ");
}
