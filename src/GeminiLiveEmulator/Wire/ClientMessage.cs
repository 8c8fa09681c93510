using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>One parsed client frame: exactly one of setup, clientContent, realtimeInput, toolResponse.</summary>
internal abstract record ClientMessage
{
    /// <summary>The message's name in the session log (<c>setup</c>, <c>realtimeInput.audio</c>, …).</summary>
    public abstract string Kind { get; }
}

internal sealed record SetupMessage(SessionSetup Setup) : ClientMessage
{
    public override string Kind => "setup";
}

/// <summary><c>realtimeInput</c>; the SDKs set one field per message, the proto allows several.</summary>
internal sealed record RealtimeInputMessage : ClientMessage
{
    public AudioBlob? Audio { get; init; }

    public int? VideoBytes { get; init; }

    public string? Text { get; init; }

    public bool ActivityStart { get; init; }

    public bool ActivityEnd { get; init; }

    public bool AudioStreamEnd { get; init; }

    public override string Kind => this switch
    {
        { Audio: not null } => "realtimeInput.audio",
        { Text: not null } => "realtimeInput.text",
        { ActivityStart: true } => "realtimeInput.activityStart",
        { ActivityEnd: true } => "realtimeInput.activityEnd",
        { AudioStreamEnd: true } => "realtimeInput.audioStreamEnd",
        { VideoBytes: not null } => "realtimeInput.video",
        _ => "realtimeInput",
    };
}

/// <summary>PCM16 LE audio and the rate its MIME type declared (<c>audio/pcm;rate=N</c>; no rate means 16 kHz).</summary>
internal sealed record AudioBlob(byte[] Pcm, int SampleRate, string MimeType);

internal sealed record ClientContentMessage(IReadOnlyList<ContentTurn> Turns, bool TurnComplete) : ClientMessage
{
    public override string Kind => "clientContent";
}

/// <summary>One <c>Content</c>: its role as sent (null when omitted), its text parts joined, and how many other parts.</summary>
internal sealed record ContentTurn(string? Role, string Text, int OtherParts);

internal sealed record ToolResponseMessage(IReadOnlyList<FunctionResponse> Responses) : ClientMessage
{
    public override string Kind => "toolResponse";
}

/// <summary>
/// One <c>functionResponses[]</c> entry. <see cref="Scheduling"/> is read from both places clients put it: the proto's
/// sibling of <c>response</c> and, as Google's docs sample does, inside <c>response</c>.
/// </summary>
internal sealed record FunctionResponse(string? Id, string? Name, JsonElement Response, string? Scheduling);
