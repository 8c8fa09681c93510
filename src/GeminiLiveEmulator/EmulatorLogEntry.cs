namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// One line of a session's readable log: when (since the connection opened), which way, the message kind
/// (<c>realtimeInput.audio</c>, <c>serverContent.turnComplete</c>, <c>toolCall</c>, <c>close</c>, …) and a summary in
/// which audio appears as byte counts, never base64.
/// </summary>
public sealed record EmulatorLogEntry(TimeSpan At, EmulatorLogDirection Direction, string Kind, string Text)
{
    /// <summary>The caller turn a sent frame answers (audio chunks, transcriptions, turnComplete, …).</summary>
    public int? Turn { get; init; }

    /// <summary>PCM bytes in an audio message.</summary>
    public int AudioBytes { get; init; }

    public override string ToString()
    {
        var arrow = Direction switch
        {
            EmulatorLogDirection.Received => "<-",
            EmulatorLogDirection.Sent => "->",
            _ => "  ",
        };
        var turn = Turn is { } t ? $" [turn {t}]" : "";
        return $"{At.TotalSeconds,8:0.000}s {arrow} {Kind}{turn} {Text}".TrimEnd();
    }
}
