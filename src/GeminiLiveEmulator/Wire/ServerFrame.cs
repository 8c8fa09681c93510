namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>One server message as sent (UTF-8 JSON) and as logged (kind + readable summary, never base64).</summary>
internal sealed record ServerFrame(byte[] Utf8, string Kind, string Summary)
{
    /// <summary>PCM bytes carried, for audio chunks.</summary>
    public int AudioBytes { get; init; }

    /// <summary>The caller turn this frame answers, when it belongs to a reply.</summary>
    public int? Turn { get; init; }
}
