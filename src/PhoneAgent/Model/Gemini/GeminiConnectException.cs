namespace PhoneAgent.Model.Gemini;

/// <summary>One connection attempt failed before <c>setupComplete</c>.</summary>
internal sealed class GeminiConnectException : Exception
{
    public GeminiConnectException(GeminiConnectionPhase phase, GeminiCloseKind kind, int? closeCode, string? closeReason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Phase = phase;
        Kind = kind;
        CloseCode = closeCode;
        CloseReason = closeReason;
        Action = GeminiClosePolicy.Decide(phase, kind);
    }

    public GeminiConnectionPhase Phase { get; }

    public GeminiCloseKind Kind { get; }

    public int? CloseCode { get; }

    public string? CloseReason { get; }

    /// <summary>What <see cref="GeminiClosePolicy"/> says to do.</summary>
    public GeminiCloseAction Action { get; }

    /// <summary>The backoff pipeline retries it (the same plan, or the next region).</summary>
    public bool IsTransient => Action is GeminiCloseAction.RetrySame or GeminiCloseAction.ReconnectWithHandle;
}

/// <summary>How a connection ended: the close frame's code and reason, or a transport failure.</summary>
internal sealed record GeminiCloseInfo(int? CloseCode, string? CloseReason, Exception? TransportError, bool ClosedByUs)
{
    public GeminiCloseKind Kind => GeminiClosePolicy.Classify(CloseCode);
}
