namespace PhoneAgent.Calls;

/// <summary>One media stream of a call: issued by the TwiML (ordinal 1) or a reconnect (2, 3, …).</summary>
internal sealed record StreamRecord
{
    /// <summary>1 for the first stream of the call, then one more per reconnect.</summary>
    public required int Ordinal { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The stream token is refused after this.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When <c>start</c> arrived with this stream's token; set once (the token is single use).</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>Twilio's <c>MZ…</c> id, from <c>start</c>.</summary>
    public string? StreamSid { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public StreamEndReason? EndReason { get; init; }

    /// <summary>What the call does after this stream; set once, by whoever ended the stream.</summary>
    public NextAction? NextAction { get; init; }
}
